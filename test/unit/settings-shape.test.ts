import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {RoomsimError} from '../../src/errors.js'
import {describePluginFolder} from '../../src/plugins/registry.js'
import {declaredSettings} from '../../src/plugins/settings-shape.js'
import {openTestEngine, reports, tempDir} from '../helpers/index.js'

describe('declared settings: both shapes', () => {
  it('reads a map as it is, and the Apps-Engine list by id (value over packageValue)', () => {
    expect(declaredSettings({banned: ['spam']}, 'x')).to.deep.equal({banned: ['spam']})
    expect(declaredSettings([{id: 'banned', packageValue: ['spam'], type: 'string'}, {id: 'greeting', packageValue: 'hi', value: 'hello'}], 'x')).to.deep.equal({banned: ['spam'], greeting: 'hello'})
    expect(declaredSettings(undefined, 'x')).to.deep.equal({})
  })

  it('refuses a list entry without an id, and a value that is neither, naming where', () => {
    expect(() => declaredSettings([{packageValue: 1}], 'plugin p')).to.throw(RoomsimError, 'plugin p[0]: a setting in the Apps-Engine list shape needs an "id"')
    expect(() => declaredSettings('banned', 'plugin p')).to.throw(RoomsimError, /plugin p: expected a map/)
  })

  it('reads package.json defaults under "roomsimPlugin", and still under the former "roomsim"', () => {
    const {dir, cleanup} = tempDir()
    try {
      for (const key of ['roomsimPlugin', 'roomsim']) {
        const folder = join(dir, key)
        mkdirSync(folder)
        writeFileSync(join(folder, 'index.js'), 'export default {}')
        writeFileSync(join(folder, 'package.json'), JSON.stringify({name: key, main: 'index.js', [key]: {settings: [{id: 'level', packageValue: 3}]}}))
        expect(describePluginFolder(folder, key).packageDefaults).to.deep.equal({level: 3})
      }
    } finally {
      cleanup()
    }
  })

  it('gives handlers the defaults a plugin exports as an Apps-Engine list', async () => {
    const test = await openTestEngine({
      plugins: [
        {
          name: 'lister',
          source: `export const settings = [{id: 'banned', packageValue: ['mallory'], type: 'code', required: false, public: false, i18nLabel: 'Banned'}]
          export default { async executePostRoomCreate(room, read) {
            console.log(JSON.stringify(await read.getEnvironmentReader().getSettings().getValueById('banned')))
          } }`,
        },
      ],
    })
    try {
      const outcome = await test.run('room.create', {name: 'general', by: 'alice', members: []} as never)
      expect(reports(outcome, 'lister')).to.deep.equal([['mallory']])
      expect(test.engine.defaultSettingsOf('lister')).to.deep.equal({banned: ['mallory']})
    } finally {
      await test.close()
    }
  })
})
