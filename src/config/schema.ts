/**
 * The config file's schema, checked with the scenario files' Checker so that
 * every problem of a file is reported at once, each naming its exact key
 * (`hooks.timeoutMs.pre`), with a "did you mean" for misspelt keys.
 */
import {backtrackingProblem} from '../input/bounded-regex.js'
import {Checker, describe, type Path, pathText, type Raw} from '../scenario/schema/checker.js'

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

export const CONFIG_KEYS = ['store', 'names', 'hooks', 'plugins', 'http'] as const

/** The first problem of a config value, for callers that want one (scenario files, tests). */
export class SchemaError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(key ? `${key}: ${message}` : message)
  }
}

/** Text in config is text: unlike scenario names, a number is not accepted as a string. */
function text(check: Checker, value: unknown, path: Path): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  return check.fail(path, `expected a non-empty string, got ${describe(value)}`)
}

function positiveInt(check: Checker, value: unknown, path: Path): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
  return check.fail(path, `expected a positive whole number, got ${describe(value)}`)
}

/** The longest delay a Node timer takes; a longer one fires at once (after a warning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

function timeoutMs(check: Checker, value: unknown, path: Path): number | undefined {
  const ms = positiveInt(check, value, path)
  if (ms !== undefined && ms > MAX_TIMEOUT_MS) return check.fail(path, `expected at most ${MAX_TIMEOUT_MS} ms, got ${ms}`)
  return ms
}

function regex(check: Checker, value: unknown, path: Path): string | undefined {
  const source = text(check, value, path)
  if (source === undefined) return undefined
  try {
    new RegExp(source)
  } catch (error) {
    return check.fail(path, `not a valid regular expression: ${(error as Error).message}`)
  }
  const slow = backtrackingProblem(source)
  if (slow) return check.fail(path, slow)
  return source
}

function list<T>(check: Checker, value: unknown, path: Path, item: (value: unknown, path: Path) => T | undefined): T[] {
  if (!Array.isArray(value)) return check.fail(path, `expected a list, got ${describe(value)}`) ?? []
  return value.map((entry, index) => item(entry, [...path, index])).filter((entry): entry is T => entry !== undefined)
}

export function checkPluginEntry(check: Checker, value: unknown, path: Path): PluginEntry | undefined {
  const raw = check.object(value, path, ['path', 'package', 'enabled', 'settings', 'permissions'])
  if (!raw) return undefined
  if ((raw.path === undefined) === (raw.package === undefined)) return check.fail(path, 'give exactly one of "path" or "package"')
  const where = raw.path === undefined ? undefined : text(check, raw.path, [...path, 'path'])
  const name = raw.package === undefined ? undefined : text(check, raw.package, [...path, 'package'])
  const enabled = raw.enabled === undefined ? true : check.boolean(raw.enabled, [...path, 'enabled'])
  const settings = raw.settings === undefined ? {} : check.object(raw.settings, [...path, 'settings'])
  const permissions = raw.permissions === undefined ? undefined : checkPermissions(check, raw.permissions, [...path, 'permissions'])
  if ((where === undefined && name === undefined) || enabled === undefined || !settings) return undefined
  return {...(where === undefined ? {} : {path: where}), ...(name === undefined ? {} : {package: name}), enabled, settings: {...settings}, ...(permissions ? {permissions} : {})}
}

function checkPermissions(check: Checker, value: unknown, path: Path): PluginPermissions | undefined {
  const raw = check.object(value, path, ['network', 'read', 'write', 'env', 'childProcesses', 'memoryMb', 'grant'])
  if (!raw) return undefined
  const permissions: PluginPermissions = {}
  for (const name of ['network', 'read', 'write', 'env', 'grant'] as const) {
    if (raw[name] !== undefined) permissions[name] = list(check, raw[name], [...path, name], (item, at) => text(check, item, at))
  }
  if (raw.childProcesses !== undefined) {
    const allowed = check.boolean(raw.childProcesses, [...path, 'childProcesses'])
    if (allowed !== undefined) permissions.childProcesses = allowed
  }
  if (raw.memoryMb !== undefined) {
    const memoryMb = positiveInt(check, raw.memoryMb, [...path, 'memoryMb'])
    if (memoryMb !== undefined) permissions.memoryMb = memoryMb
  }
  return permissions
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']

export function checkHttpStub(check: Checker, value: unknown, path: Path): HttpStub | undefined {
  const raw = check.object(value, path, ['method', 'url', 'status', 'headers', 'data', 'content'])
  if (!raw) return undefined
  const before = check.issues.length
  const method = text(check, raw.method ?? 'GET', [...path, 'method'])?.toUpperCase()
  if (method !== undefined && !HTTP_METHODS.includes(method)) check.fail([...path, 'method'], `expected one of ${HTTP_METHODS.join(', ')}, got ${describe(raw.method)}`)
  const headers = raw.headers === undefined ? {} : check.object(raw.headers, [...path, 'headers'])
  for (const [name, header] of Object.entries(headers ?? {})) text(check, header, [...path, 'headers', name])
  const url = text(check, raw.url, [...path, 'url'])
  const status = raw.status === undefined ? 200 : positiveInt(check, raw.status, [...path, 'status'])
  if (raw.content !== undefined) text(check, raw.content, [...path, 'content'])
  if (check.issues.length > before || method === undefined || url === undefined || status === undefined) return undefined
  return {
    method,
    url,
    status,
    headers: {...(headers as Record<string, string>)},
    ...(raw.data === undefined ? {} : {data: raw.data}),
    ...(raw.content === undefined ? {} : {content: raw.content as string}),
  }
}

/** Validates a raw config document, reporting every problem to `check`; the config (defaults filled in) when there were none. */
export function checkConfig(check: Checker, value: unknown, base: Path = []): Config | undefined {
  const config = structuredClone(DEFAULT_CONFIG)
  if (value === null || value === undefined) return config
  const before = check.issues.length
  const raw = check.object(value, base, CONFIG_KEYS)
  if (!raw) return undefined
  const at = (...path: Path): Path => [...base, ...path]
  if (raw.store !== undefined) {
    const store = text(check, raw.store, at('store'))
    if (store !== undefined) config.store = store
  }
  if (raw.names !== undefined) {
    const names = check.object(raw.names, at('names'), ['pattern', 'maxLength'])
    const pattern = names?.pattern === undefined ? undefined : regex(check, names.pattern, at('names', 'pattern'))
    const maxLength = names?.maxLength === undefined ? undefined : positiveInt(check, names.maxLength, at('names', 'maxLength'))
    if (pattern !== undefined) config.names.pattern = pattern
    if (maxLength !== undefined) config.names.maxLength = maxLength
  }
  if (raw.hooks !== undefined) {
    const hooks = check.object(raw.hooks, at('hooks'), ['timeoutMs', 'onError'])
    const timeouts: Raw | undefined = hooks?.timeoutMs === undefined ? undefined : check.object(hooks.timeoutMs, at('hooks', 'timeoutMs'), ['pre', 'post'])
    const pre = timeouts?.pre === undefined ? undefined : timeoutMs(check, timeouts.pre, at('hooks', 'timeoutMs', 'pre'))
    const post = timeouts?.post === undefined ? undefined : timeoutMs(check, timeouts.post, at('hooks', 'timeoutMs', 'post'))
    if (pre !== undefined) config.hooks.timeoutMs.pre = pre
    if (post !== undefined) config.hooks.timeoutMs.post = post
    const onError = hooks?.onError === undefined ? undefined : check.oneOf(hooks.onError, at('hooks', 'onError'), ['continue', 'abort'] as const)
    if (onError !== undefined) config.hooks.onError = onError
  }
  if (raw.plugins !== undefined) config.plugins = list(check, raw.plugins, at('plugins'), (entry, path) => checkPluginEntry(check, entry, path))
  if (raw.http !== undefined) {
    const http = check.object(raw.http, at('http'), ['allow', 'stubs'])
    if (http?.allow !== undefined) config.http.allow = list(check, http.allow, at('http', 'allow'), (host, path) => text(check, host, path))
    if (http?.stubs !== undefined) config.http.stubs = list(check, http.stubs, at('http', 'stubs'), (stub, path) => checkHttpStub(check, stub, path))
  }
  return check.issues.length > before ? undefined : config
}

/** Runs a check and throws its first problem as a SchemaError. */
function firstProblem<T>(run: (check: Checker) => T | undefined): T {
  const check = new Checker()
  const result = run(check)
  const issue = check.issues[0]
  if (issue) throw new SchemaError(pathText(issue.path), issue.message)
  return result as T
}

/** Validates a raw config document and fills in defaults. Throws SchemaError naming the key of the first problem. */
export const parseConfig = (value: unknown): Config => firstProblem((check) => checkConfig(check, value))

export const parseHttpStub = (value: unknown, key: string): HttpStub => firstProblem((check) => checkHttpStub(check, value, key ? [key] : []))
