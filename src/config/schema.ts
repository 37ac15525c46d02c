/**
 * The config file's schema, checked by hand so that every complaint names the
 * exact key (`hooks.timeoutMs.pre`) and the file it came from.
 */
export type OnError = 'continue' | 'abort'

export interface PluginEntry {
  path?: string
  package?: string
  enabled: boolean
  settings: Record<string, unknown>
  /** Loosens this plugin's sandbox for local development (docs/hooks.md "The sandbox"). */
  permissions?: PluginPermissions
}

export interface PluginPermissions {
  /** Hosts direct connections may reach, over http.allow (`*` for any). */
  network?: string[]
  /** Extra folders or files the plugin may read / write. */
  read?: string[]
  write?: string[]
  /** Environment variables passed through to the plugin. */
  env?: string[]
  /** May start child processes (the server never allows this). */
  childProcesses?: boolean
  /** Memory limit of the plugin's isolate in MB (resident, Buffers included). */
  memoryMb?: number
  /** Accessor permissions granted over what app.json declares (e.g. "networking"). */
  grant?: string[]
}

export interface HttpStub {
  method: string
  url: string
  status: number
  headers: Record<string, string>
  data?: unknown
  content?: string
}

export interface Config {
  /** Absolute path of the file the config came from; undefined when none was found. */
  filepath?: string
  store?: string
  names: {pattern: string; maxLength: number}
  hooks: {timeoutMs: {pre: number; post: number}; onError: OnError}
  plugins: PluginEntry[]
  http: {allow: string[]; stubs: HttpStub[]}
}

export const DEFAULT_CONFIG: Config = {
  names: {pattern: '^[0-9a-zA-Z-_.]+$', maxLength: 64},
  hooks: {timeoutMs: {pre: 1000, post: 10_000}, onError: 'continue'},
  plugins: [],
  http: {allow: [], stubs: []},
}

export class SchemaError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`)
  }
}

type Raw = Record<string, unknown>

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value)

function object(value: unknown, key: string, allowed: readonly string[]): Raw {
  if (!isObject(value)) throw new SchemaError(key, `expected an object, got ${describe(value)}`)
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new SchemaError(join(key, name), `unknown key (allowed: ${allowed.join(', ')})`)
  }
  return value
}

function string(value: unknown, key: string): string {
  if (typeof value !== 'string' || value === '') throw new SchemaError(key, `expected a non-empty string, got ${describe(value)}`)
  return value
}

function positiveInt(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new SchemaError(key, `expected a positive whole number, got ${describe(value)}`)
  }
  return value
}

/** The longest delay a Node timer takes; a longer one fires at once (after a warning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

function timeoutMs(value: unknown, key: string): number {
  const ms = positiveInt(value, key)
  if (ms > MAX_TIMEOUT_MS) throw new SchemaError(key, `expected at most ${MAX_TIMEOUT_MS} ms, got ${ms}`)
  return ms
}

function boolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new SchemaError(key, `expected true or false, got ${describe(value)}`)
  return value
}

function array<T>(value: unknown, key: string, item: (value: unknown, key: string) => T): T[] {
  if (!Array.isArray(value)) throw new SchemaError(key, `expected a list, got ${describe(value)}`)
  return value.map((entry, index) => item(entry, `${key}[${index}]`))
}

const join = (key: string, name: string): string => (key ? `${key}.${name}` : name)

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `"${value}"`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

function regex(value: unknown, key: string): string {
  const source = string(value, key)
  try {
    new RegExp(source)
  } catch (error) {
    throw new SchemaError(key, `not a valid regular expression: ${(error as Error).message}`)
  }
  return source
}

export function parsePluginEntry(value: unknown, key: string): PluginEntry {
  const raw = object(value, key, ['path', 'package', 'enabled', 'settings', 'permissions'])
  if ((raw.path === undefined) === (raw.package === undefined)) throw new SchemaError(key, 'give exactly one of "path" or "package"')
  return {
    ...(raw.path === undefined ? {} : {path: string(raw.path, join(key, 'path'))}),
    ...(raw.package === undefined ? {} : {package: string(raw.package, join(key, 'package'))}),
    enabled: raw.enabled === undefined ? true : boolean(raw.enabled, join(key, 'enabled')),
    settings: raw.settings === undefined ? {} : object(raw.settings, join(key, 'settings'), Object.keys(raw.settings as Raw ?? {})),
    ...(raw.permissions === undefined ? {} : {permissions: parsePermissions(raw.permissions, join(key, 'permissions'))}),
  }
}

function parsePermissions(value: unknown, key: string): PluginPermissions {
  const raw = object(value, key, ['network', 'read', 'write', 'env', 'childProcesses', 'memoryMb', 'grant'])
  const permissions: PluginPermissions = {}
  for (const name of ['network', 'read', 'write', 'env', 'grant'] as const) {
    if (raw[name] !== undefined) permissions[name] = array(raw[name], join(key, name), string)
  }
  if (raw.childProcesses !== undefined) permissions.childProcesses = boolean(raw.childProcesses, join(key, 'childProcesses'))
  if (raw.memoryMb !== undefined) permissions.memoryMb = positiveInt(raw.memoryMb, join(key, 'memoryMb'))
  return permissions
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']

export function parseHttpStub(value: unknown, key: string): HttpStub {
  const raw = object(value, key, ['method', 'url', 'status', 'headers', 'data', 'content'])
  const method = string(raw.method ?? 'GET', join(key, 'method')).toUpperCase()
  if (!HTTP_METHODS.includes(method)) throw new SchemaError(join(key, 'method'), `expected one of ${HTTP_METHODS.join(', ')}`)
  const headers = raw.headers === undefined ? {} : object(raw.headers, join(key, 'headers'), Object.keys(raw.headers as Raw ?? {}))
  for (const [name, header] of Object.entries(headers)) string(header, join(join(key, 'headers'), name))
  return {
    method,
    url: string(raw.url, join(key, 'url')),
    status: raw.status === undefined ? 200 : positiveInt(raw.status, join(key, 'status')),
    headers: headers as Record<string, string>,
    ...(raw.data === undefined ? {} : {data: raw.data}),
    ...(raw.content === undefined ? {} : {content: string(raw.content, join(key, 'content'))}),
  }
}

/** Validates a raw config document and fills in defaults. Throws SchemaError naming the key. */
export function parseConfig(value: unknown): Config {
  if (value === null || value === undefined) return structuredClone(DEFAULT_CONFIG)
  const raw = object(value, '', ['store', 'names', 'hooks', 'plugins', 'http'])
  const config = structuredClone(DEFAULT_CONFIG)
  if (raw.store !== undefined) config.store = string(raw.store, 'store')
  if (raw.names !== undefined) {
    const names = object(raw.names, 'names', ['pattern', 'maxLength'])
    if (names.pattern !== undefined) config.names.pattern = regex(names.pattern, 'names.pattern')
    if (names.maxLength !== undefined) config.names.maxLength = positiveInt(names.maxLength, 'names.maxLength')
  }
  if (raw.hooks !== undefined) {
    const hooks = object(raw.hooks, 'hooks', ['timeoutMs', 'onError'])
    if (hooks.timeoutMs !== undefined) {
      const timeouts = object(hooks.timeoutMs, 'hooks.timeoutMs', ['pre', 'post'])
      if (timeouts.pre !== undefined) config.hooks.timeoutMs.pre = timeoutMs(timeouts.pre, 'hooks.timeoutMs.pre')
      if (timeouts.post !== undefined) config.hooks.timeoutMs.post = timeoutMs(timeouts.post, 'hooks.timeoutMs.post')
    }
    if (hooks.onError !== undefined) {
      if (hooks.onError !== 'continue' && hooks.onError !== 'abort') {
        throw new SchemaError('hooks.onError', `expected "continue" or "abort", got ${describe(hooks.onError)}`)
      }
      config.hooks.onError = hooks.onError
    }
  }
  if (raw.plugins !== undefined) config.plugins = array(raw.plugins, 'plugins', parsePluginEntry)
  if (raw.http !== undefined) {
    const http = object(raw.http, 'http', ['allow', 'stubs'])
    if (http.allow !== undefined) config.http.allow = array(http.allow, 'http.allow', string)
    if (http.stubs !== undefined) config.http.stubs = array(http.stubs, 'http.stubs', parseHttpStub)
  }
  return config
}
