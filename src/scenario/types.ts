/**
 * A scenario as roomsim runs it, after its file was parsed and validated. Every
 * step and expectation keeps the line it came from, so a failure can point at it.
 */
import type {HttpStub, OnError} from '../config/schema.js'
import type {ActionStatus} from '../domain/types.js'
import type {RoomCreateInput, RoomDeleteInput, RoomJoinInput, RoomLeaveInput} from '../engine/actions/index.js'
import type {describePluginFolder} from '../plugins/registry.js'

/** A position in a scenario file, 1-based. */
export interface Position {
  line: number
  column: number
}

export interface ScenarioPlugin {
  /** The plugin folder as described from disk (name, entry, package defaults). */
  resolved: ReturnType<typeof describePluginFolder>
  /** The path as the scenario gives it. */
  path: string
  enabled: boolean
  /** Settings given in the scenario, over the package defaults. */
  settings: Record<string, unknown>
}

export interface UserInput {
  username: string
  name?: string
  roles?: string[]
}

export interface SeedRecord {
  plugin: string
  /** `{model, id}`, or `{model: 'room', room: NAME}` / `{model: 'user', user: NAME}` resolved when seeding. */
  associations: {model: string; id?: string; room?: string; user?: string}[]
  data: Record<string, unknown>
  id?: string
}

export interface Seed {
  users: UserInput[]
  rooms: RoomCreateInput[]
  persistence: SeedRecord[]
}

/**
 * The step's own status words add `invalid`: the action refused its input
 * before any plugin ran (unknown room, name taken…), as the CLI's exit 2.
 */
export type StepStatus = ActionStatus | 'invalid'

/** A value to compare with: plain values compare exactly, a string `/like this/i` is a regular expression. */
export type Pattern = unknown

export interface MembersExpectation {
  exactly?: string[]
  includes?: string[]
  excludes?: string[]
  count?: number
}

export interface MessagesExpectation {
  count?: number
  /** Each must be found in some message's text (substring, or a /regex/). */
  contains?: Pattern[]
  excludes?: Pattern[]
  /** Each must partially match a block of one message (the blocks an app built with getBlockBuilder or setBlocks). */
  blocks?: Record<string, unknown>[]
  /** Each must partially match some message as stored (text, sender, blocks, attachments, alias, emoji, groupable…). */
  match?: Record<string, unknown>[]
}

/** Per plugin: one result the plugin's hooks must include, an exact list, or per interface. */
export type HookExpectation = string | string[] | Record<string, string | string[]>

export interface EffectsExpectation {
  includes?: Record<string, Pattern>[]
  excludes?: Record<string, Pattern>[]
}

/** Expectations about a room's state (used both after a step and in `assert`). */
export interface RoomExpectation {
  exists?: boolean
  members?: MembersExpectation
  fields?: Record<string, Pattern>
  customFields?: Record<string, Pattern>
  messages?: MessagesExpectation
}

export interface StepExpectation extends RoomExpectation {
  status?: StepStatus[]
  prevented?: Pattern
  error?: Pattern
  hooks?: Record<string, HookExpectation>
  effects?: EffectsExpectation
  outcome?: Pattern
}

/** Where each expectation key was written, for failure messages. */
export type ExpectationLines = Partial<Record<string, number>>

interface StepBase {
  /** 1-based position among the scenario's steps. */
  index: number
  line: number
  name?: string
  expect: StepExpectation
  expectLines: ExpectationLines
}

export type ActionStep =
  | (StepBase & {kind: 'create'; input: RoomCreateInput})
  | (StepBase & {kind: 'delete'; input: RoomDeleteInput})
  | (StepBase & {kind: 'join'; input: RoomJoinInput})
  | (StepBase & {kind: 'leave'; input: RoomLeaveInput})
  | (StepBase & {kind: 'user'; input: UserInput})

export type Step =
  | ActionStep
  | (StepBase & {kind: 'settings'; plugin: string; values: Record<string, unknown>})
  | (StepBase & {kind: 'assert'; room: string})

export type StepKind = Step['kind']

export interface Scenario {
  /** The file as given on the command line, relative to the working folder (for reports). */
  file: string
  /** Absolute path of the file. */
  path: string
  name: string
  line: number
  plugins: ScenarioPlugin[]
  http: {allow: string[]; stubs: HttpStub[]}
  hooks?: {timeoutMs?: {pre?: number; post?: number}; onError?: OnError}
  names?: {pattern?: string; maxLength?: number}
  seed: Seed
  steps: Step[]
}

/** What is wrong with a scenario file, and where. */
export interface FileProblem {
  file: string
  line: number
  column: number
  message: string
}
