import {expect} from 'chai'
import {join} from 'node:path'

import {parseConfig} from '../../src/config/schema.js'
import {type PluginEntryResolved, runOrder} from '../../src/plugins/registry.js'
import {EXAMPLE_PLUGINS} from '../helpers/cli.js'

const installed = (name: string, extra: Partial<PluginEntryResolved> = {}): PluginEntryResolved => ({
  name,
  entry: `/plugins/${name}/index.js`,
  root: `/plugins/${name}`,
  isApp: false,
  source: 'package',
  spec: `/src/${name}`,
  inConfig: false,
  enabled: true,
  settings: {},
  packageDefaults: {level: 1},
  ...extra,
})

describe('runOrder', () => {
  it('puts config entries first in list order, then the other installed plugins in installed order', () => {
    const config = {...parseConfig({plugins: [{package: 'c', settings: {level: 2}}, {path: join(EXAMPLE_PLUGINS, 'welcome')}, {package: 'a', enabled: false}]}), filepath: '/work/roomsim.config.json'}
    const plugins = runOrder(config, '/work', [installed('a'), installed('b'), installed('c'), installed('d', {enabled: false})])
    expect(plugins.map((plugin) => [plugin.name, plugin.source, plugin.inConfig, plugin.enabled])).to.deep.equal([
      ['c', 'package', true, true],
      ['welcome', 'config', true, true],
      ['a', 'package', true, false],
      ['b', 'package', false, true],
      ['d', 'package', false, false],
    ])
    expect(plugins[0]!.settings).to.deep.equal({level: 2})
    expect(plugins[3]!.settings).to.deep.equal({})
  })

  it('a package entry runs only when enabled both in config and by plugins enable', () => {
    const config = parseConfig({plugins: [{package: 'a'}]})
    expect(runOrder(config, '/work', [installed('a', {enabled: false})])[0]!.enabled).to.equal(false)
  })

  it('refuses a package nobody installed and a name listed twice', () => {
    expect(() => runOrder(parseConfig({plugins: [{package: 'ghost'}]}), '/work', [])).to.throw(/plugins\[0\]\.package: "ghost" is not installed/)
    const welcome = join(EXAMPLE_PLUGINS, 'welcome')
    expect(() => runOrder(parseConfig({plugins: [{path: welcome}]}), '/work', [installed('welcome')])).to.throw(/listed twice/)
  })
})
