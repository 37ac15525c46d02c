import type {Config} from '../../config/schema.js'
import type {HostRoom, Room} from '../../domain/types.js'
import type {ActionContext} from '../action-context.js'

/** An action made ready to run: validated, with everything its chain needs. */
export interface PreparedAction {
  /** The room the chain is about (a draft, for create). */
  room: HostRoom
  /** Who acts, for the event log. */
  actor: string
  /** The inputs as given, for the event log. */
  input: Record<string, unknown>
  /** What pre-stage handlers receive: the room, or a join/leave context around it. */
  preInput(room: HostRoom): unknown
  /** Checks a room that plugins changed (create only, in the handler's shape); throws RoomsimError naming the problem. */
  review?(room: Room): HostRoom
  /** Writes the action in the open transaction; returns what post handlers are about. */
  commit(room: HostRoom): HostRoom
  /** What post-stage handlers receive, given the committed room. */
  postInput(room: HostRoom): unknown
}

/** Nothing to do (joining a room one is already in): no hooks run, nothing is logged. */
export interface NoopAction {
  noop: true
  room: HostRoom
}

export interface ActionDefinition<Input> {
  /** Validates inputs against the store (inside the action's transaction): bad input never reaches a plugin. */
  prepare(input: Input, context: ActionContext, names: Config['names']): PreparedAction | NoopAction
}
