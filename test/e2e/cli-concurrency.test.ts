import {expect} from 'chai'

import {runCli, tempDir} from '../helpers/cli.js'

/** Many roomsim processes on one store at once: none may lose an update or fail for being second. */
describe('CLI: concurrent processes on one store', function () {
  // Many processes start at once on few cores: a guard against hangs, not a timing assertion.
  this.timeout(300_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-concurrent-')))
  afterEach(() => cleanup())

  it('16 processes joining one room at once all land', async () => {
    expect((await runCli(['room', 'create', 'general', '--by', 'alice'], {cwd: dir})).code).to.equal(0)
    const users = Array.from({length: 16}, (_, index) => `user${String(index + 1).padStart(2, '0')}`)
    const results = await Promise.all(users.map((user) => runCli(['room', 'join', 'general', '--user', user, '--json'], {cwd: dir})))
    for (const [index, result] of results.entries()) {
      expect(result.code, `${users[index]}: ${result.stderr}`).to.equal(0)
      expect(result.json().status).to.equal('completed')
    }
    const show = await runCli(['room', 'show', 'general', '--json'], {cwd: dir})
    expect(show.json().members.map((user: {username: string}) => user.username).sort()).to.deep.equal(['alice', ...users])
    const joins = (await runCli(['log', '--json', '--limit', '100'], {cwd: dir})).json().filter((entry: {kind: string}) => entry.kind === 'room.join')
    expect(joins).to.have.length(16)
  })

  it('8 processes creating the same name at once, on a store none of them has yet: one room, seven "already exists"', async () => {
    const creators = Array.from({length: 8}, (_, index) => `creator${index + 1}`)
    const results = await Promise.all(creators.map((creator) => runCli(['room', 'create', 'general', '--by', creator], {cwd: dir})))
    const codes = results.map((result) => result.code).sort()
    expect(codes, results.map((result) => result.stderr).join('')).to.deep.equal([0, 2, 2, 2, 2, 2, 2, 2])
    for (const result of results.filter((candidate) => candidate.code === 2)) {
      expect(result.stderr).to.equal('Error: room "general" already exists\n')
    }
    const winner = results.findIndex((result) => result.code === 0)
    const rooms = (await runCli(['room', 'list', '--json'], {cwd: dir})).json()
    expect(rooms).to.have.length(1)
    expect(rooms[0].creator.username).to.equal(creators[winner])
    // The losers created nobody.
    const users = (await runCli(['user', 'list', '--json'], {cwd: dir})).json()
    expect(users.map((user: {username: string}) => user.username)).to.deep.equal([creators[winner]])
  })
})
