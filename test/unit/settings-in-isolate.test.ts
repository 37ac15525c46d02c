import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ROOT} from '../helpers/paths.js'
import {probePlugin, probeReport, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'
import {tempDir} from '../helpers/fixtures.js'
import {Workspace} from '../../src/workspace.js'

/**
 * The isolate answers ISettingRead from the settings sent with each handler
 * call (src/isolate/settings-copy.ts): what a handler reads must be what the
 * host would have answered, including changes made between calls and the
 * handler's own writes.
 */
describe('settings read inside the isolate', () => {
  let box: Sandbox | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
  })

  it('a change between actions reaches the next handler call, and changing it back does too', async () => {
    box = await sandbox({probe: {source: probePlugin('executePostRoomCreate', `async (room, read) => read.getEnvironmentReader().getSettings().getValueById('limit')`), defaults: {limit: 3}}})
    const limitIn = async (name: string) => probeReport(await box!.engine.run('room.create', {name, by: 'alice'}))
    expect(await limitIn('one')).to.equal(3)
    box.engine.setSettings('probe', {limit: 7})
    expect(await limitIn('two')).to.equal(7)
    expect(await limitIn('three')).to.equal(7)
    box.engine.setSettings('probe', {limit: 3})
    expect(await limitIn('four')).to.equal(3)
  })

  it('a value a handler changes after reading it is read fresh by the next read', async () => {
    box = await sandbox({
      probe: {
        source: probePlugin(
          'executePostRoomCreate',
          `async (room, read) => {
            const settings = read.getEnvironmentReader().getSettings()
            const first = await settings.getValueById('banned')
            first.push('changed')
            const record = await settings.getById('banned')
            return {second: await settings.getValueById('banned'), record, missing: await settings.getById('nope'), unknown: await attempt(() => settings.getValueById('nope'))}
          }`,
        ),
        defaults: {banned: ['mallory']},
        settings: {banned: ['eve']},
      },
    })
    const report = probeReport(await box.engine.run('room.create', {name: 'general', by: 'alice'}))
    expect(report.second).to.deep.equal(['eve'])
    expect(report.record).to.deep.equal({id: 'banned', type: 'code', packageValue: ['mallory'], value: ['eve'], required: false, public: false, i18nLabel: 'banned'})
    expect(report.missing).to.equal(undefined)
    // A setting the copy lacks is the host's to answer, with its own words.
    expect(report.unknown.error).to.match(/^ISettingRead\.getValueById: probe has no setting "nope"/)
  })

  describe('an app that updates its own setting', () => {
    let dir: string
    let cleanup: () => void
    beforeEach(() => ({dir, cleanup} = tempDir()))
    afterEach(() => cleanup())

    it('reads back what it wrote in the same call, and the host and later calls see it too', async () => {
      const app = join(dir, 'counter')
      mkdirSync(app)
      const engineApp = pathToFileURL(join(ROOT, 'node_modules/@rocket.chat/apps-engine/definition/App.js')).href
      writeFileSync(join(app, 'app.json'), JSON.stringify({id: 'c0ffee00-0000-4000-8000-000000000001', name: 'Counter', nameSlug: 'counter', version: '1.0.0', requiredApiVersion: '^1.0.0', classFile: 'CounterApp.js', author: {name: 'x', homepage: '', support: ''}}))
      writeFileSync(join(app, 'package.json'), JSON.stringify({name: 'counter', version: '1.0.0', type: 'module', main: 'CounterApp.js'}))
      writeFileSync(
        join(app, 'CounterApp.js'),
        `import {App} from '${engineApp}'
export class CounterApp extends App {
  async extendConfiguration(configuration) {
    await configuration.settings.provideSetting({id: 'count', type: 'int', packageValue: 0, required: false, public: false, i18nLabel: 'count'})
  }
  async executePostRoomCreate(room, read) {
    const settings = read.getEnvironmentReader().getSettings()
    const before = await settings.getValueById('count')
    await this.getAccessors().environmentWriter.getSettings().updateValue('count', before + 1)
    const after = await settings.getValueById('count')
    const record = await settings.getById('count')
    this.getLogger().info('COUNT ' + JSON.stringify({before, after, value: record.value}))
  }
}
`,
      )
      writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './counter'}]}))
      const workspace = await Workspace.open({cwd: dir, storePath: join(dir, 'store.db')})
      const engine = workspace.engine()
      try {
        const counts = async (name: string) => {
          const outcome = await engine.run('room.create', {name, by: 'alice'})
          const line = outcome.effects.flatMap((effect) => (effect.kind === 'log' && String(effect.message).startsWith('COUNT ') ? [String(effect.message)] : []))[0]
          expect(line, JSON.stringify(outcome, null, 2)).to.be.a('string')
          return JSON.parse(line!.slice('COUNT '.length)) as Record<string, number>
        }
        expect(await counts('one')).to.deep.equal({before: 0, after: 1, value: 1})
        expect(engine.settingsOf('counter')).to.deep.include({count: 1})
        expect(await counts('two')).to.deep.equal({before: 1, after: 2, value: 2})
        engine.setSettings('counter', {count: 10})
        expect(await counts('three')).to.deep.equal({before: 10, after: 11, value: 11})
      } finally {
        await engine.close()
      }
    })
  })
})
