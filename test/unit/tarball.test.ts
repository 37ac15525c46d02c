import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {tarballManifest} from '../../src/plugins/tarball.js'
import {EXAMPLE_PLUGINS, tempDir} from '../helpers/cli.js'

describe('tarballManifest', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('reads package.json out of an npm pack tarball', () => {
    const output = execFileSync('npm', ['pack', join(EXAMPLE_PLUGINS, 'welcome'), '--pack-destination', dir, '--json'], {encoding: 'utf8'})
    const file = join(dir, (JSON.parse(output) as {filename: string}[])[0]!.filename)
    expect(tarballManifest(file)).to.include({name: 'welcome', version: '1.0.0'})
  })

  it('refuses what is not a gzipped tar with a package.json', () => {
    writeFileSync(join(dir, 'plain.tgz'), 'plain text')
    expect(() => tarballManifest(join(dir, 'plain.tgz'))).to.throw(/not a gzipped npm package tarball/)
    writeFileSync(join(dir, 'gz.tgz'), gzipSync(Buffer.alloc(2048)))
    expect(() => tarballManifest(join(dir, 'gz.tgz'))).to.throw(/no package\.json/)
  })
})
