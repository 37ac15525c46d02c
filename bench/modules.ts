/**
 * Cold start, module by module: the time one `import()` of each module adds to a
 * bare node process (median of BENCH_RUNS spawns, default 9), and what a
 * full-chain `room join` loads. Needs `npm run build`.
 *
 *   node --import tsx bench/modules.ts
 */
import {spawnSync} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const dist = (path: string) => pathToFileURL(join(ROOT, 'dist', path)).href

const MODULES: [string, string][] = [
  ['@oclif/core', '@oclif/core'],
  ['chalk', 'chalk'],
  ['yaml', 'yaml'],
  ['better-sqlite3 (with its native addon)', 'better-sqlite3'],
  ['dist/store (migrations, store)', dist('store/store.js')],
  ['dist/engine/engine.js (engine, host, services)', dist('engine/engine.js')],
  ['dist/workspace.js (config, plugins, engine)', dist('workspace.js')],
  ['dist/commands/room/join.js', dist('commands/room/join.js')],
]

/** Median ms of a node process that imports `specifier` (from the project root) and exits. */
function median(specifier: string | undefined): number {
  const code = specifier === undefined ? '0' : `await import(${JSON.stringify(specifier)})`
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now()
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {cwd: ROOT, stdio: 'ignore'})
    if (result.status !== 0) throw new Error(`importing ${specifier} failed`)
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
}

const bare = median(undefined)
console.log(`\n## Cold start, module by module (median of ${RUNS} spawns; node -e 0 = ${bare.toFixed(1)} ms)\n`)
console.log(`${'module'.padEnd(50)}${'adds'.padStart(10)}`)
for (const [label, specifier] of MODULES) console.log(`${label.padEnd(50)}${`${(median(specifier) - bare).toFixed(1)} ms`.padStart(10)}`)
