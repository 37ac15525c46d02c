import {expect} from 'chai'
import {readdirSync} from 'node:fs'

import {runCommand, tempDir} from '../helpers/cli.js'

describe('roomsim demo', () => {
  it('tells the whole story and leaves nothing behind', async () => {
    const {dir, cleanup} = tempDir()
    try {
      const result = await runCommand(['demo', '--json'], {cwd: dir})
      expect(result.code, result.stderr).to.equal(0)
      const statuses = result.json().steps.map((step: {outcome: {action: string; status: string}}) => `${step.outcome.action}:${step.outcome.status}`)
      expect(statuses).to.deep.equal([
        'room.create:completed',
        'room.create:prevented',
        'room.join:completed',
        'room.join:prevented',
        'room.leave:completed',
        'room.create:completed',
        'room.delete:prevented',
        'room.delete:completed',
      ])
      expect(readdirSync(dir)).to.deep.equal([])
    } finally {
      cleanup()
    }
  })
})
