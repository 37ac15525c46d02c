import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

import {ROOT} from '../helpers/cli.js'

/**
 * The isolation seam, as imports. The isolate side (src/isolate) runs inside a
 * plugin's sandbox: it may use Node's built-ins, the protocol and the domain
 * types, never the host, the engine, the store or a package (it is bundled and
 * must not need roomsim's node_modules). The protocol is shared by both sides
 * and depends on neither. The host never imports the isolate, and the accessor
 * services reach the engine only through their narrow interface.
 */
const SRC = join(ROOT, 'src')

function sources(folder: string): string[] {
  return readdirSync(folder, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  )
}

/** Every module a file imports or re-exports (static and dynamic), as a path under src/ or a package name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? match[2]!)
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts') : specifier))
}

const RULES: {side: string; allowed: (target: string) => boolean; why: string}[] = [
  {side: 'isolate', allowed: (target) => target.startsWith('node:') || /^(isolate|protocol|domain)\//.test(target), why: 'the isolate may import only node built-ins, protocol/ and domain/'},
  {side: 'protocol', allowed: (target) => target.startsWith('node:') || /^(protocol|domain)\//.test(target) || target === 'config/schema.ts', why: 'the protocol depends on neither side'},
  {side: 'host', allowed: (target) => !target.startsWith('isolate/') && target !== 'engine/engine.ts', why: 'the host never imports the isolate, nor the Engine class'},
]

describe('the isolation seam', () => {
  for (const rule of RULES) {
    it(`${rule.side}/: ${rule.why}`, () => {
      const files = sources(join(SRC, rule.side))
      expect(files, `no sources under src/${rule.side}`).to.not.be.empty
      const wrong = files.flatMap((file) => importsOf(file).filter((target) => !rule.allowed(target)).map((target) => `${relative(SRC, file)} → ${target}`))
      expect(wrong).to.deep.equal([])
    })
  }

  it('nothing outside the isolate imports it (it runs only in a plugin process)', () => {
    const outside = sources(SRC).filter((file) => !relative(SRC, file).startsWith('isolate/'))
    const wrong = outside.flatMap((file) => importsOf(file).filter((target) => target.startsWith('isolate/')).map((target) => `${relative(SRC, file)} → ${target}`))
    expect(wrong).to.deep.equal([])
  })

  it('the check itself sees imports (a rule that reads nothing could not fail)', () => {
    expect(importsOf(join(SRC, 'isolate', 'main.ts'))).to.include.members(['protocol/channel.ts', 'node:net'])
  })
})
