import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expandGlob, parseShard, resolveScenarioFiles, shardFiles} from '../../src/scenario/files.js'
import {tempDir} from '../helpers/cli.js'

describe('scenario files: globs and shards', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => {
    ;({dir, cleanup} = tempDir())
    for (const file of ['a.yaml', 'b.yml', 'c.json', 'notes.txt', 'sub/d.yaml', 'sub/deeper/e.yaml', 'node_modules/x/f.yaml', '.hidden/g.yaml']) {
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), '')
    }
  })
  afterEach(() => cleanup())

  const names = (paths: {file: string}[]) => paths.map((path) => path.file)

  it('expands globs itself: *, ?, [..], {a,b} and ** (skipping node_modules and hidden folders)', () => {
    expect(names(resolveScenarioFiles(['*.yaml'], dir))).to.deep.equal(['a.yaml'])
    expect(names(resolveScenarioFiles(['*.{yaml,yml,json}'], dir))).to.deep.equal(['a.yaml', 'b.yml', 'c.json'])
    expect(names(resolveScenarioFiles(['?.y*ml'], dir))).to.deep.equal(['a.yaml', 'b.yml'])
    expect(names(resolveScenarioFiles(['[ab].*'], dir))).to.deep.equal(['a.yaml', 'b.yml'])
    expect(names(resolveScenarioFiles(['**/*.yaml'], dir))).to.deep.equal(['a.yaml', 'sub/d.yaml', 'sub/deeper/e.yaml'])
    expect(names(resolveScenarioFiles(['sub/**/*.yaml'], dir))).to.deep.equal(['sub/d.yaml', 'sub/deeper/e.yaml'])
    expect(expandGlob(join(dir, 'sub', '*.yaml'), '/')).to.deep.equal([join(dir, 'sub', 'd.yaml')])
  })

  it('matches globs that cross folders: "g/a/**" and "g/{a/b,c}/*"', () => {
    for (const file of ['g/a/one.yaml', 'g/a/b/two.yaml', 'g/c/three.yaml', 'g/d/four.yaml']) {
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), '')
    }
    expect(names(resolveScenarioFiles(['g/a/**'], dir))).to.deep.equal(['g/a/b/two.yaml', 'g/a/one.yaml'])
    expect(names(resolveScenarioFiles(['g/{a/b,c}/*'], dir))).to.deep.equal(['g/a/b/two.yaml', 'g/c/three.yaml'])
    expect(names(resolveScenarioFiles(['.hidden/*.yaml'], dir))).to.deep.equal(['.hidden/g.yaml'])
  })

  it('sorts, removes duplicates and refuses a glob that matches nothing', () => {
    expect(names(resolveScenarioFiles(['sub/d.yaml', 'a.yaml', '*.yaml', './a.yaml'], dir))).to.deep.equal(['a.yaml', 'sub/d.yaml'])
    expect(() => resolveScenarioFiles(['*.xml'], dir)).to.throw(/no files match \*\.xml/)
    // A plain path is kept even when missing: the parser reports it with the other problems.
    expect(names(resolveScenarioFiles(['missing.yaml'], dir))).to.deep.equal(['missing.yaml'])
  })

  it('puts every file in exactly one shard, for any shard count', () => {
    const files = Array.from({length: 23}, (_, index) => `f${String(index).padStart(2, '0')}`)
    for (let count = 1; count <= 30; count++) {
      const shards = Array.from({length: count}, (_, index) => shardFiles(files, {index: index + 1, count}))
      expect(shards.flat().sort(), `${count} shards`).to.deep.equal(files)
      const sizes = shards.map((shard) => shard.length)
      expect(Math.max(...sizes) - Math.min(...sizes), `${count} shards are balanced`).to.be.at.most(1)
    }
    expect(shardFiles(files, {index: 2, count: 10})).to.deep.equal(['f01', 'f11', 'f21'])
  })

  it('parses --shard i/n and refuses nonsense', () => {
    expect(parseShard('2/4')).to.deep.equal({index: 2, count: 4})
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2']) expect(() => parseShard(bad), bad).to.throw(/expected i\/n/)
  })
})
