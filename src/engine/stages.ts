import type {ActionName} from '../domain/types.js'
import type {InterfaceName} from '../protocol/interfaces.js'

/**
 * How a stage runs its plugins. Each kind is one combinator of the runner:
 * - prevent: in order; the first `true` stops the chain (first-true wins).
 * - veto:    in order; the first AppsEngineException stops the chain.
 * - extend:  in order; each plugin adds to the room through an add-only extender,
 *            and its additions are applied before the next plugin runs.
 * - modify:  reduce; the room each plugin returns is what the next one sees.
 * - post:    after commit, in order; every plugin runs, errors are collected.
 */
export type {HandlerArg, StageKind} from '../protocol/messages.js'
import type {HandlerArg, StageKind} from '../protocol/messages.js'

export interface Stage {
  kind: StageKind
  interface: InterfaceName
  args: readonly HandlerArg[]
}

const PRE_ARGS = ['input', 'read', 'http', 'persistence'] as const
const POST_ARGS = ['input', 'read', 'http', 'persistence', 'modify'] as const
/** A `check*` method always receives these. */
export const CHECK_ARGS = ['input', 'read', 'http'] as const satisfies readonly HandlerArg[]

/** The chain of every action (SPEC §2). Validation and commit surround the pre stages; post runs after commit. */
export const CHAINS: Record<ActionName, readonly Stage[]> = {
  'room.create': [
    {kind: 'prevent', interface: 'IPreRoomCreatePrevent', args: PRE_ARGS},
    {kind: 'extend', interface: 'IPreRoomCreateExtend', args: ['input', 'extender', 'read', 'http', 'persistence']},
    {kind: 'modify', interface: 'IPreRoomCreateModify', args: ['input', 'builder', 'read', 'http', 'persistence']},
    {kind: 'post', interface: 'IPostRoomCreate', args: POST_ARGS},
  ],
  'room.delete': [
    {kind: 'prevent', interface: 'IPreRoomDeletePrevent', args: PRE_ARGS},
    {kind: 'post', interface: 'IPostRoomDeleted', args: POST_ARGS},
  ],
  'room.join': [
    {kind: 'veto', interface: 'IPreRoomUserJoined', args: PRE_ARGS},
    {kind: 'post', interface: 'IPostRoomUserJoined', args: POST_ARGS},
  ],
  'room.leave': [
    {kind: 'veto', interface: 'IPreRoomUserLeave', args: PRE_ARGS},
    {kind: 'post', interface: 'IPostRoomUserLeave', args: POST_ARGS},
  ],
}

export const isPreStage = (stage: Stage): boolean => stage.kind !== 'post'
