import {expect} from 'chai'

import {roomView} from '../../src/domain/room-view.js'
import type {HookRecord, HostRoom, Room} from '../../src/domain/types.js'
import {MemberList} from '../../src/store/member-list.js'
import {RoomsimError} from '../../src/errors.js'
import {JUDGE_RETURN, judgeThrow} from '../../src/engine/judge.js'
import {runStage, type StageRun} from '../../src/engine/run-stage.js'
import {CHAINS, type Stage} from '../../src/engine/stages.js'

/**
 * The runner and the stage rules alone: no worker, no store. `call` is a fake
 * that answers from a script keyed by `plugin.method`, and remembers what it was asked.
 */
type Answer = Awaited<ReturnType<StageRun['call']>>
type Value = Extract<Answer, {status: 'ok'}>['value']

const user = {id: 'u1', username: 'alice', name: 'alice', roles: ['user'], createdAt: new Date(0)}
const VIEW: Room = {
  id: 'r1',
  slugifiedName: 'general',
  type: 'c',
  creator: user,
  userIds: ['u1'],
  usernames: ['alice'],
  isDefault: false,
  isReadOnly: false,
  displaySystemMessages: true,
  messageCount: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  customFields: {},
}
/** A room as the engine holds it, from its handler shape. */
const held = ({userIds, usernames, ...rest}: Room): HostRoom => ({...rest, members: MemberList.of(userIds, usernames)})
const ROOM = held(VIEW)

const ok = (value: Value): Answer => ({status: 'ok', value})
const yes = ok({kind: 'boolean', value: true})
const no = ok({kind: 'boolean', value: false})
const nothing = ok({kind: 'none'})
const threw = (message: string, name = 'Error', className = name): Answer => ({status: 'threw', error: {name, className, message}})
const stageOf = (action: keyof typeof CHAINS, kind: Stage['kind']): Stage => CHAINS[action].find((stage) => stage.kind === kind)!

function fakeRun(stage: Stage, script: Record<string, Answer>, options: Partial<StageRun> & {plugins?: StageRun['plugins']} = {}) {
  const asked: string[] = []
  const records: HookRecord[] = []
  const run: StageRun = {
    stage,
    plugins: options.plugins ?? [],
    room: ROOM,
    input: (room) => roomView(room),
    review: held,
    async call(plugin, method, _args, input) {
      asked.push(`${plugin}.${method}`)
      const answer = script[`${plugin}.${method}`]
      if (!answer) throw new Error(`unscripted call ${plugin}.${method} (input ${JSON.stringify((input as Room).slugifiedName)})`)
      return answer
    },
    onError: 'continue',
    timeoutMs: 1000,
    record: (hook) => records.push(hook),
    ...options,
  }
  return {run, asked, records, results: () => records.map((hook) => `${hook.plugin}:${hook.method}:${hook.result}`)}
}

const plugins = (...names: string[]) => names.map((name) => ({name, checks: [] as string[]}))

describe('runStage with a fake call', () => {
  const prevent = stageOf('room.create', 'prevent')

  it('prevent: stops at the first true; later plugins are not asked', async () => {
    const {run, asked, results} = fakeRun(prevent, {'a.executePreRoomCreatePrevent': no, 'b.executePreRoomCreatePrevent': yes}, {plugins: plugins('a', 'b', 'c')})
    const end = await runStage(run)
    expect(end.prevented).to.deep.equal({plugin: 'b', interface: 'IPreRoomCreatePrevent', reason: 'the handler returned true'})
    expect(asked).to.deep.equal(['a.executePreRoomCreatePrevent', 'b.executePreRoomCreatePrevent'])
    expect(results()).to.deep.equal(['a:executePreRoomCreatePrevent:allowed', 'b:executePreRoomCreatePrevent:prevented'])
  })

  it('check: false skips execute (recorded under the check method); truthy non-boolean proceeds', async () => {
    const withChecks = [
      {name: 'a', checks: ['checkPreRoomCreatePrevent']},
      {name: 'b', checks: ['checkPreRoomCreatePrevent']},
    ]
    const {run, asked, results} = fakeRun(
      prevent,
      {
        'a.checkPreRoomCreatePrevent': no,
        'b.checkPreRoomCreatePrevent': ok({kind: 'other', description: 'a string', truthy: true}),
        'b.executePreRoomCreatePrevent': no,
      },
      {plugins: withChecks},
    )
    await runStage(run)
    expect(asked).to.deep.equal(['a.checkPreRoomCreatePrevent', 'b.checkPreRoomCreatePrevent', 'b.executePreRoomCreatePrevent'])
    expect(results()).to.deep.equal(['a:checkPreRoomCreatePrevent:skipped', 'b:executePreRoomCreatePrevent:allowed'])
  })

  it('prevent: a non-boolean return is an error, not a prevention; fail-open goes on', async () => {
    const {run, records} = fakeRun(prevent, {'a.executePreRoomCreatePrevent': nothing, 'b.executePreRoomCreatePrevent': no}, {plugins: plugins('a', 'b')})
    const end = await runStage(run)
    expect(end.prevented).to.equal(undefined)
    expect(end.failed).to.equal(undefined)
    expect(records[0]).to.include({result: 'error', error: 'returned nothing; expected true or false'})
    expect(records[1]).to.include({result: 'allowed'})
  })

  it('onError abort: the first error or timeout in a pre stage fails the action, naming the plugin', async () => {
    const {run, asked} = fakeRun(prevent, {'a.executePreRoomCreatePrevent': {status: 'timeout'}}, {plugins: plugins('a', 'b'), onError: 'abort'})
    const end = await runStage(run)
    expect(end.failed).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'a'})
    expect(end.failed!.message).to.equal('a IPreRoomCreatePrevent.executePreRoomCreatePrevent: timed out after 1000 ms')
    expect(asked).to.have.length(1)
  })

  it('veto: an AppsEngineException (matched by name) prevents with its message; any other throw is an error', async () => {
    const veto = stageOf('room.join', 'veto')
    const {run, results} = fakeRun(
      veto,
      {
        'a.executePreRoomUserJoined': threw('boom'),
        'b.executePreRoomUserJoined': threw('mallory is banned', 'AppsEngineException', 'UserNotAllowedException'),
      },
      {plugins: plugins('a', 'b', 'c')},
    )
    const end = await runStage(run)
    expect(end.prevented).to.deep.equal({plugin: 'b', interface: 'IPreRoomUserJoined', reason: 'mallory is banned'})
    expect(results()).to.deep.equal(['a:executePreRoomUserJoined:error', 'b:executePreRoomUserJoined:prevented'])
  })

  it('extend: each plugin sees the additions of the one before', async () => {
    const extend = stageOf('room.create', 'extend')
    const seen: string[][] = []
    const {run} = fakeRun(extend, {}, {
      plugins: plugins('a', 'b'),
      async call(plugin, _method, _args, input) {
        seen.push((input as Room).usernames)
        return ok({kind: 'extension', customFields: {[plugin]: true}, members: [{username: `${plugin}.bot`}]})
      },
    })
    const end = await runStage(run)
    expect(seen).to.deep.equal([['alice'], ['alice', 'a.bot']])
    expect(end.room.members.usernames()).to.deep.equal(['alice', 'a.bot', 'b.bot'])
    expect(end.room.customFields).to.deep.equal({a: true, b: true})
  })

  it('modify: the room a plugin returns feeds the next; a room review refuses breaks the action whatever the policy', async () => {
    const modify = stageOf('room.create', 'modify')
    const {run, records} = fakeRun(
      modify,
      {
        'a.executePreRoomCreateModify': ok({kind: 'room', room: {...VIEW, displayName: 'General'}}),
        'b.executePreRoomCreateModify': ok({kind: 'room', room: {...VIEW, slugifiedName: 'bad name'}}),
      },
      {
        plugins: plugins('a', 'b'),
        review(room) {
          if (room.slugifiedName.includes(' ')) throw new RoomsimError('INVALID_NAME', `room name "${room.slugifiedName}" is invalid`)
          return held(room)
        },
      },
    )
    const end = await runStage(run)
    expect(records[0]).to.deep.include({result: 'applied', detail: {changed: ['displayName']}})
    expect(end.failed).to.deep.include({plugin: 'b'})
    expect(end.room.displayName).to.equal('General')
  })

  it('post: every plugin runs; under abort an error is kept as postError, never a failure', async () => {
    const post = stageOf('room.create', 'post')
    const {run, asked} = fakeRun(
      post,
      {'a.executePostRoomCreate': threw('oops'), 'b.executePostRoomCreate': {status: 'crashed', error: {name: 'Error', className: 'Error', message: 'worker died'}}, 'c.executePostRoomCreate': nothing},
      {plugins: plugins('a', 'b', 'c'), onError: 'abort'},
    )
    const end = await runStage(run)
    expect(asked).to.have.length(3)
    expect(end.failed).to.equal(undefined)
    expect(end.postError).to.deep.include({plugin: 'a', message: 'a IPostRoomCreate.executePostRoomCreate: oops'})
  })
})

describe('JUDGE_RETURN and judgeThrow: the stage rules', () => {
  it('has one rule per stage kind, and says what each return means', () => {
    expect(Object.keys(JUDGE_RETURN).sort()).to.deep.equal(['extend', 'modify', 'post', 'prevent', 'veto'])
    expect(JUDGE_RETURN.prevent({kind: 'boolean', value: false}, ROOM).result).to.equal('allowed')
    expect(JUDGE_RETURN.prevent({kind: 'other', description: 'a string', truthy: true}, ROOM)).to.deep.include({result: 'error', error: 'returned a string; expected true or false'})
    expect(JUDGE_RETURN.veto({kind: 'boolean', value: true}, ROOM).result).to.equal('allowed')
    expect(JUDGE_RETURN.post({kind: 'none'}, ROOM).result).to.equal('done')
    expect(JUDGE_RETURN.extend({kind: 'none'}, ROOM).result).to.equal('error')
    expect(JUDGE_RETURN.modify({kind: 'boolean', value: true}, ROOM).result).to.equal('error')
    expect(JUDGE_RETURN.extend({kind: 'extension', customFields: {}, members: []}, ROOM)).to.not.have.property('detail')
  })

  it('a throw prevents only in prevent and veto stages, and only when it is an AppsEngineException', () => {
    const exception = {name: 'AppsEngineException', className: 'UserNotAllowedException', message: ''}
    expect(judgeThrow('prevent', exception)).to.deep.equal({result: 'prevented', prevented: 'UserNotAllowedException'})
    expect(judgeThrow('post', exception).result).to.equal('error')
    expect(judgeThrow('veto', {name: 'TypeError', className: 'TypeError', message: 'x is undefined'})).to.deep.equal({result: 'error', error: 'x is undefined'})
  })
})
