import {expect} from 'chai'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {RoomsimError} from '../../src/errors.js'
import {printable, printableLines} from '../../src/output/printable.js'
import {describePluginFolder} from '../../src/plugins/registry.js'
import {tempDir} from '../helpers/cli.js'

function folderWith(root: string, name: string, files: Record<string, string>): string {
  const folder = join(root, name)
  mkdirSync(folder, {recursive: true})
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text)
  return folder
}

const refusal = (run: () => unknown): RoomsimError => {
  try {
    run()
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    return error as RoomsimError
  }
  throw new Error('expected a refusal')
}

describe('a plugin folder is checked before any of its code runs', () => {
  let temp: {dir: string; cleanup: () => void}
  beforeEach(() => (temp = tempDir()))
  afterEach(() => temp.cleanup())

  for (const [label, name] of [
    ['empty', ''],
    ['a newline', 'evil\nname'],
    ['an ANSI escape', 'evil\u001b[31mred'],
    ['a path', '../escape'],
    ['a space', 'evil name'],
  ] as const) {
    it(`refuses a package name with ${label}, showing it escaped`, () => {
      const folder = folderWith(temp.dir, 'p', {'package.json': JSON.stringify({name, main: 'index.js'}), 'index.js': 'export default {}'})
      const error = refusal(() => describePluginFolder(folder, 'link ./p'))
      expect(error.code).to.equal('BAD_PLUGIN')
      expect(error.message).to.match(/is not a valid plugin name/)
      expect(error.message).to.not.match(/[\u0000-\u001f]/)
    })
  }

  it('accepts npm names, scoped ones included, and app slugs', () => {
    const scoped = folderWith(temp.dir, 's', {'package.json': JSON.stringify({name: '@acme/room-bot', main: 'index.js'}), 'index.js': ''})
    expect(describePluginFolder(scoped, 's').name).to.equal('@acme/room-bot')
    const app = folderWith(temp.dir, 'a', {'app.json': JSON.stringify({name: 'Gate App', classFile: 'index.js'}), 'index.js': ''})
    expect(describePluginFolder(app, 'a').name).to.equal('gate-app')
  })

  it('refuses a main or exports that resolves outside the package', () => {
    writeFileSync(join(temp.dir, 'outside.js'), 'export default {}')
    const viaMain = folderWith(temp.dir, 'm', {'package.json': JSON.stringify({name: 'm', main: '../outside.js'})})
    expect(refusal(() => describePluginFolder(viaMain, 'm')).message).to.match(/resolves outside the package folder/)
    const viaExports = folderWith(temp.dir, 'e', {'package.json': JSON.stringify({name: 'e', exports: {'.': {import: '../outside.js'}}})})
    expect(refusal(() => describePluginFolder(viaExports, 'e')).message).to.match(/resolves outside the package folder/)
    const viaLink = folderWith(temp.dir, 'l', {'package.json': JSON.stringify({name: 'l', main: 'index.js'})})
    symlinkSync(join(temp.dir, 'outside.js'), join(viaLink, 'index.js'))
    expect(refusal(() => describePluginFolder(viaLink, 'l')).message).to.match(/resolves outside the package folder/)
  })

  it('shows control characters from plugins escaped, never interpreted', () => {
    expect(printable('red \u001b[31m bell \u0007 line\nbreak')).to.equal('red \\x1b[31m bell \\x07 line\\x0abreak')
    expect(printableLines('two\nlines')).to.equal('two\nlines')
  })
})
