import {expect} from 'chai'
import {statSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {cachedReport, saveReport} from '../../src/host/load-cache.js'
import type {LoadReport, PluginSpec} from '../../src/protocol/messages.js'
import {tempDir} from '../helpers/cli.js'

/** A plugin's load report kept beside its bundle (src/host/load-cache.ts), on real files. */
describe('the load report cache', () => {
  let temp: {dir: string; cleanup: () => void}
  beforeEach(() => (temp = tempDir()))
  afterEach(() => temp.cleanup())

  /** A bundle folder as bundlePlugin leaves it: the bundle, and meta.json with its one input's mtime and size. */
  function bundleFolder(): {spec: PluginSpec; folder: string} {
    const entry = join(temp.dir, 'index.js')
    writeFileSync(entry, 'export const x = 1\n')
    const stats = statSync(entry)
    writeFileSync(join(temp.dir, 'plugin.mjs'), 'export const x = 1\n')
    writeFileSync(join(temp.dir, 'meta.json'), JSON.stringify({entry, inputs: {[entry]: [stats.mtimeMs, stats.size]}, reads: [temp.dir]}))
    return {spec: {name: 'p', entry, root: temp.dir, isApp: false}, folder: temp.dir}
  }
  const report = (interfaces: string[]): LoadReport => ({interfaces, checks: [], declaredSettings: {}}) as unknown as LoadReport
  const written = (folder: string): number => statSync(join(folder, 'report.json')).mtimeMs

  it('answers the saved report, and leaves the file alone when a load reports the same again', () => {
    const {spec, folder} = bundleFolder()
    saveReport(spec, folder, report(['IPreRoomUserJoined']))
    expect(cachedReport(spec, folder)).to.deep.equal(report(['IPreRoomUserJoined']))
    // Backdated, so a rewrite within the same clock tick would still show.
    utimesSync(join(folder, 'report.json'), 1000, 1000)
    saveReport(spec, folder, report(['IPreRoomUserJoined']))
    expect(written(folder)).to.equal(1_000_000)
    saveReport(spec, folder, report(['IPostRoomUserJoined']))
    expect(written(folder)).to.not.equal(1_000_000)
    expect(cachedReport(spec, folder)).to.deep.equal(report(['IPostRoomUserJoined']))
  })
})
