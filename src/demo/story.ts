import type {ActionName} from '../domain/types.js'
import type {ActionInputs} from '../engine/actions/index.js'

/** One step of the demo: what the narrator says, then the action it runs. */
export type DemoStep = {[A in ActionName]: {say: string; action: A; input: ActionInputs[A]}}[ActionName]

export const EXAMPLE_PLUGINS = ['name-policy', 'room-defaults', 'welcome', 'gatekeeper', 'archive-guard', 'audit'] as const

export const DEMO_STORY: DemoStep[] = [
  {say: 'Alice opens a channel for her team. Every create hook fires: prevent, extend, modify, post.', action: 'room.create', input: {name: 'dev-ops', by: 'alice', members: ['bob']}},
  {say: 'Someone tries a spammy name; name-policy prevents it with a reason.', action: 'room.create', input: {name: 'cheap-spam-deals', by: 'eve'}},
  {say: 'Carol joins; gatekeeper allows her, welcome greets her, audit records it.', action: 'room.join', input: {room: 'dev-ops', user: 'carol'}},
  {say: 'Mallory is on the banned list: gatekeeper vetoes the join.', action: 'room.join', input: {room: 'dev-ops', user: 'mallory'}},
  {say: 'Bob leaves the channel.', action: 'room.leave', input: {room: 'dev-ops', user: 'bob'}},
  {say: 'The admin makes a default room for everyone.', action: 'room.create', input: {name: 'announcements', isDefault: true}},
  {say: 'Deleting a default room: archive-guard prevents it.', action: 'room.delete', input: {room: 'announcements'}},
  {say: 'Deleting dev-ops goes through; post handlers see the room as it was.', action: 'room.delete', input: {room: 'dev-ops', by: 'alice'}},
]
