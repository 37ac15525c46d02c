/** The top level of a scenario document: name, plugins, HTTP stubs, hook and name rules, seed, steps. */
import {dirname, resolve} from 'node:path'

import {type HttpStub, parseConfig, parseHttpStub, SchemaError} from '../../config/schema.js'
import {RoomsimError} from '../../errors.js'
import {describePluginFolder} from '../../plugins/registry.js'
import type {Scenario, ScenarioPlugin, Seed, SeedRecord, Step} from '../types.js'
import {type Checker, keyToPath, type Path, type Raw} from './checker.js'
import {roomCreateInput, step, userInput} from './steps.js'

export const SCENARIO_KEYS = ['name', 'description', 'plugins', 'http', 'hooks', 'names', 'seed', 'steps'] as const

export interface DocumentContext {
  /** The file as shown in reports. */
  file: string
  /** Absolute path of the file: plugin paths are relative to its folder. */
  path: string
  /** The name to use when the document has none. */
  defaultName: string
  line(path: Path): number
  keyLine(path: Path): number
  /** Steps read one at a time (a long file, parse.ts), each validated as it is read, in place of the document's `steps`. */
  eachStep?(validate: (entry: unknown, path: Path) => Step | undefined): Step[]
}

/** Runs a config-schema parser and files its SchemaError under the scenario path it names. */
function configPart<T>(check: Checker, parse: () => T, base: Path = []): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error
    const message = error.message.slice(error.key.length + 2)
    return check.fail([...base, ...keyToPath(error.key)], message, message.startsWith('unknown key') ? 'key' : 'value')
  }
}

function plugins(check: Checker, value: unknown, context: DocumentContext): ScenarioPlugin[] {
  const folder = dirname(context.path)
  const list =
    check.list(value, ['plugins'], (entry, path) => {
      const raw: Raw | undefined = typeof entry === 'string' ? {path: entry} : check.object(entry, path, ['path', 'enabled', 'settings'])
      if (!raw) return undefined
      const at = typeof entry === 'string' ? path : [...path, 'path']
      const where = check.string(raw.path, at)
      const enabled = raw.enabled === undefined ? true : check.boolean(raw.enabled, [...path, 'enabled'])
      const settings = raw.settings === undefined ? {} : check.object(raw.settings, [...path, 'settings'])
      if (where === undefined || enabled === undefined || !settings) return undefined
      try {
        const resolved = describePluginFolder(resolve(folder, where), where)
        return {resolved, path: where, enabled, settings: {...settings}}
      } catch (error) {
        if (error instanceof RoomsimError) return check.fail(at, error.message)
        throw error
      }
    }) ?? []
  const seen = new Set<string>()
  list.forEach((plugin, index) => {
    if (seen.has(plugin.resolved.name)) check.fail(['plugins', index], `plugin ${plugin.resolved.name} is listed twice`)
    seen.add(plugin.resolved.name)
  })
  return list
}

function http(check: Checker, value: unknown): Scenario['http'] {
  const raw = check.object(value, ['http'], ['allow', 'stubs'])
  const allow = raw?.allow === undefined ? [] : (check.list(raw.allow, ['http', 'allow'], (host, path) => check.string(host, path)) ?? [])
  const stubs: HttpStub[] = []
  if (raw?.stubs !== undefined) {
    check.list(raw.stubs, ['http', 'stubs'], (stub, path) => {
      const parsed = configPart(check, () => parseHttpStub(stub, ''), path)
      if (parsed) stubs.push(parsed)
      return parsed
    })
  }
  return {allow, stubs}
}

function seedRecord(check: Checker, value: unknown, path: Path, pluginNames: readonly string[]): SeedRecord | undefined {
  const raw = check.object(value, path, ['plugin', 'associations', 'data', 'id'])
  if (!raw) return undefined
  const plugin = check.string(check.required(raw, 'plugin', path) ?? '', [...path, 'plugin'])
  if (plugin !== undefined && !pluginNames.includes(plugin)) check.fail([...path, 'plugin'], `no plugin named "${plugin}" in this scenario (plugins: ${pluginNames.join(', ') || 'none'})`)
  const data = check.object(check.required(raw, 'data', path), [...path, 'data'])
  const associations =
    raw.associations === undefined
      ? []
      : check.list(raw.associations, [...path, 'associations'], (entry, at) => {
          const association = check.object(entry, at, ['model', 'id', 'room', 'user'])
          if (!association) return undefined
          const model = check.string(check.required(association, 'model', at) ?? '', [...at, 'model'])
          const keys = (['id', 'room', 'user'] as const).filter((key) => association[key] !== undefined)
          if (keys.length !== 1) return check.fail(at, 'give exactly one of "id", "room" (a room name) or "user" (a username)')
          const key = keys[0]!
          // Any model may be keyed by a room or a user: apps keep MISC or MESSAGE records under a room's id too.
          const target = check.string(association[key], [...at, key])
          return model === undefined || target === undefined ? undefined : {model, [key]: target}
        })
  const id = raw.id === undefined ? undefined : check.string(raw.id, [...path, 'id'])
  if (plugin === undefined || !data || !associations) return undefined
  return {plugin, associations, data, ...(id === undefined ? {} : {id})}
}

function seed(check: Checker, value: unknown, pluginNames: readonly string[]): Seed {
  const empty: Seed = {users: [], rooms: [], persistence: []}
  if (value === undefined) return empty
  const raw = check.object(value, ['seed'], ['users', 'rooms', 'persistence'])
  if (!raw) return empty
  return {
    users: raw.users === undefined ? [] : (check.list(raw.users, ['seed', 'users'], (user, path) => userInput(check, user, path)) ?? []),
    rooms: raw.rooms === undefined ? [] : (check.list(raw.rooms, ['seed', 'rooms'], (room, path) => roomCreateInput(check, room, path)) ?? []),
    persistence:
      raw.persistence === undefined ? [] : (check.list(raw.persistence, ['seed', 'persistence'], (record, path) => seedRecord(check, record, path, pluginNames)) ?? []),
  }
}

/** Validates one scenario document; problems go to `check`, a usable scenario comes back only without them. */
export function scenario(check: Checker, value: unknown, context: DocumentContext): Scenario | undefined {
  const raw = check.object(value, [], SCENARIO_KEYS)
  if (!raw) return undefined
  const name = raw.name === undefined ? context.defaultName : check.string(raw.name, ['name'])
  if (raw.description !== undefined) check.string(raw.description, ['description'])
  const loaded = raw.plugins === undefined ? [] : plugins(check, raw.plugins, context)
  const pluginNames = loaded.map((plugin) => plugin.resolved.name)
  const httpPart = raw.http === undefined ? {allow: [], stubs: []} : http(check, raw.http)
  // Hook and name rules use the config file's schema (same keys, same checks).
  const rules = configPart(check, () => parseConfig({...(raw.hooks === undefined ? {} : {hooks: raw.hooks}), ...(raw.names === undefined ? {} : {names: raw.names})}))
  const seeded = seed(check, raw.seed, pluginNames)
  let steps: Step[] = []
  if (raw.steps === undefined) check.fail([], 'missing "steps" (a list of actions and expectations)')
  else if (Array.isArray(raw.steps) && raw.steps.length === 0) check.fail(['steps'], 'expected at least one step')
  else {
    const stepContext = {plugins: pluginNames, line: context.line, keyLine: context.keyLine}
    const validate = (entry: unknown, path: Path): Step | undefined => step(check, entry, path, (path[1] as number) + 1, stepContext)
    steps = context.eachStep ? context.eachStep(validate) : (check.list(raw.steps, ['steps'], validate) ?? [])
  }
  if (name === undefined || check.issues.length > 0 || !rules) return undefined
  return {
    file: context.file,
    path: context.path,
    name,
    line: context.line([]),
    plugins: loaded,
    http: httpPart,
    ...(raw.hooks === undefined ? {} : {hooks: raw.hooks as Scenario['hooks']}),
    ...(raw.names === undefined ? {} : {names: raw.names as Scenario['names']}),
    seed: seeded,
    steps,
  }
}
