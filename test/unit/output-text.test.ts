import {expect} from 'chai'

import {formatLog} from '../../src/output/log.js'
import {printable, printableLines} from '../../src/output/printable.js'
import {colorLevel} from '../../src/output/style.js'
import {formatTable} from '../../src/output/table.js'
import {formatOutcome} from '../../src/output/outcome.js'
import type {EventEntry} from '../../src/store/store.js'
import type {Outcome} from '../../src/domain/types.js'

const at = new Date('2026-01-02T03:04:05.006Z')
const entry = (seq: number, parentSeq: number | null, kind: string, extra: Partial<EventEntry> = {}): EventEntry => ({seq, parentSeq, at, kind, status: 'completed', roomId: null, roomName: null, actor: null, data: {}, ...extra})

describe('human output', () => {
  it('log: nested entries line up with top-level ones, and a user made on first use is not "by" herself', () => {
    const text = formatLog([
      entry(9, null, 'room.create', {roomName: 'dev-ops', actor: 'alice', data: {hooks: [{}, {}]}}),
      entry(10, 9, 'user.create', {actor: 'alice', data: {user: {username: 'alice'}, reason: 'named by an action'}}),
      entry(11, 9, 'room.create.post', {roomName: 'dev-ops', data: {hooks: [{}]}}),
    ])
    const lines = text.split('\n')
    const column = (line: string) => line.indexOf('2026-')
    expect(new Set(lines.map(column)).size, text).to.equal(1)
    expect(new Set(lines.map((line) => line.indexOf('completed'))).size, text).to.equal(1)
    expect(lines[0]).to.match(/#dev-ops +by alice, 2 hook calls$/)
    expect(lines[1]).to.match(/@alice +named by an action$/)
    expect(lines[1]).to.not.include('by alice')
  })

  it('escapes control characters from plugins: in outcomes, tables and the log', () => {
    expect(printable('a\u001B[2Jb\nc\u0007')).to.equal('a\\x1b[2Jb\\x0ac\\x07')
    expect(printableLines('one\ntwo\u001B')).to.equal('one\ntwo\\x1b')
    const outcome = {
      action: 'room.create',
      status: 'completed',
      room: null,
      prevented: null,
      error: null,
      hooks: [{plugin: 'evil', interface: 'IPostRoomCreate', method: 'executePostRoomCreate', result: 'error', durationMs: 1, error: 'boom\u001B[2J\u001B]0;pwned\u0007'}],
      effects: [{kind: 'message', plugin: 'evil', room: 'general', sender: 'evil.bot', text: 'hi\u001B[31m'}],
      nested: [],
    } as unknown as Outcome
    const identity = new Proxy(() => undefined, {get: () => identity, apply: (_target, _this, args: unknown[]) => String(args[0])}) as never
    const text = formatOutcome(outcome, identity)
    expect(text).to.not.match(/[\u0000-\u0009\u000b-\u001f]/)
    expect(text).to.include('boom\\x1b[2J\\x1b]0;pwned\\x07').and.include('hi\\x1b[31m')
    expect(formatTable(['name'], [['x\u001By']], '')).to.equal('NAME\nx\\x1by')
    expect(formatLog([entry(1, null, 'room.create', {roomName: 'a\u001Bb'})])).to.include('#a\\x1bb')
  })

  it('tables fit a width: cuttable columns give way, paths keep their end', () => {
    const rows = [['1', 'name-policy', 'IPreRoomCreatePrevent, IPreRoomCreateModify', 'config /home/someone/projects/chat/plugins/name-policy']]
    const wide = formatTable(['#', 'name', 'interfaces', 'source'], rows, '')
    expect(wide.split('\n')[1]).to.include('/home/someone')
    const narrow = formatTable(['#', 'name', 'interfaces', 'source'], rows, '', {maxWidth: 80, shrink: [2, 3], cutStart: [3]})
    for (const line of narrow.split('\n')) expect(line.length, line).to.be.at.most(80)
    expect(narrow).to.include('…').and.include('/name-policy')
  })

  it('colour: on for a terminal, off for TERM=dumb and NO_COLOR, FORCE_COLOR wins over TERM', () => {
    const tty = {isTTY: true} as NodeJS.WriteStream
    expect(colorLevel(tty, {})).to.equal(1)
    expect(colorLevel(tty, {TERM: 'dumb'})).to.equal(0)
    expect(colorLevel(tty, {NO_COLOR: '1'})).to.equal(0)
    expect(colorLevel(tty, {TERM: 'dumb', FORCE_COLOR: '1'})).to.equal(1)
    expect(colorLevel({isTTY: false} as NodeJS.WriteStream, {})).to.equal(0)
  })
})

describe('the pretty scenario report', () => {
  it('escapes control characters of a plugin error in a failure, keeping its lines', async () => {
    const {prettyScenario} = await import('../../src/scenario/reporters/pretty.js')
    const {Chalk} = await import('chalk')
    const text = prettyScenario(
      {
        file: 'a.yaml',
        name: 'evil\u001B[2J',
        line: 1,
        status: 'failed',
        durationMs: 1,
        error: {expectation: 'setup', line: 2, message: 'plugin threw: \u001B]0;pwned\u0007\nsecond line'},
        steps: [],
      },
      new Chalk({level: 0}),
    )
    expect(text).to.not.match(/[\u0000-\u0009\u000b-\u001f]/)
    expect(text).to.include('evil\\x1b[2J').and.include('plugin threw: \\x1b]0;pwned\\x07\nsecond line')
  })
})
