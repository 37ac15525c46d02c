import {expect} from 'chai'

import {affectedBy, type WatchedRun} from '../../src/watch/scenarios.js'

const covered: WatchedRun = {
  scenarioFiles: ['/p/s/a.yaml', '/p/s/b.yaml'],
  pluginsOf: new Map([
    ['/p/s/a.yaml', ['/p/plugins/guard']],
    ['/p/s/b.yaml', []],
  ]),
  configFile: '/p/roomsim.config.yaml',
  sharedPlugins: ['/p/plugins/guard', '/p/linked/other'],
}

describe('scenario run --watch: what a change re-runs', () => {
  it('an edited scenario file: that file alone', () => {
    expect([...affectedBy(['/p/s/b.yaml'], covered)!]).to.deep.equal(['/p/s/b.yaml'])
  })

  it('an edited plugin: the files whose scenarios load it (not a folder that merely shares its prefix)', () => {
    expect([...affectedBy(['/p/plugins/guard/src/index.ts'], covered)!]).to.deep.equal(['/p/s/a.yaml'])
    expect([...affectedBy(['/p/plugins/guard-two/index.js'], covered)!]).to.deep.equal([])
  })

  it('the config, or a plugin only the config or the store knows: everything', () => {
    expect(affectedBy(['/p/roomsim.config.yaml'], covered)).to.equal(undefined)
    expect(affectedBy(['/p/linked/other/index.js'], covered)).to.equal(undefined)
  })

  it('a new scenario file beside the others is taken; anything goes when nothing ran yet', () => {
    expect([...affectedBy(['/p/s/c.yaml'], covered)!]).to.deep.equal(['/p/s/c.yaml'])
    expect(affectedBy(['/p/anything'], {...covered, scenarioFiles: []})).to.equal(undefined)
  })
})
