/**
 * The npm prefix that holds every installed plugin (`<state folder>/plugins`,
 * a package.json of its own). npm runs here through execa, never with install
 * scripts. A snapshot taken before an install lets a failed one be undone.
 */
import {existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {delimiter, join} from 'node:path'

import {RoomsimError} from '../errors.js'
import {PACKAGE_ROOT} from '../package-root.js'

/** Every npm call: no install scripts, no audit or funding chatter, local folders copied (not symlinked). */
export const NPM_FLAGS = ['--ignore-scripts', '--no-audit', '--no-fund', '--install-links', '--loglevel=error'] as const

const MANIFEST = {
  name: 'roomsim-plugins',
  private: true,
  description: 'Plugins installed with "roomsim plugins install"; managed by roomsim, do not edit by hand.',
  dependencies: {},
}

const TRACKED = ['package.json', 'package-lock.json'] as const

/** What the prefix looked like before a change: enough to put it back. */
export interface PrefixSnapshot {
  existed: boolean
  files: Record<(typeof TRACKED)[number], string | undefined>
}

export function snapshotPrefix(prefix: string): PrefixSnapshot {
  const read = (file: string): string | undefined => (existsSync(join(prefix, file)) ? readFileSync(join(prefix, file), 'utf8') : undefined)
  return {existed: existsSync(join(prefix, 'package.json')), files: {'package.json': read('package.json'), 'package-lock.json': read('package-lock.json')}}
}

/** Creates the prefix's package.json on first use. */
export function ensurePrefix(prefix: string): void {
  if (existsSync(join(prefix, 'package.json'))) return
  mkdirSync(prefix, {recursive: true})
  writeFileSync(join(prefix, 'package.json'), `${JSON.stringify(MANIFEST, null, 2)}\n`)
}

/** The prefix's dependencies: installed package name → the spec npm saved. */
export function prefixDependencies(prefix: string): Record<string, string> {
  const file = join(prefix, 'package.json')
  if (!existsSync(file)) return {}
  return ((JSON.parse(readFileSync(file, 'utf8')) as {dependencies?: Record<string, string>}).dependencies ?? {})
}

/**
 * Puts the prefix back as it was: a prefix made for this install is removed;
 * otherwise package.json and the lock are restored byte for byte and npm makes
 * node_modules match them again (removing what the failed install added).
 */
export async function restorePrefix(prefix: string, snapshot: PrefixSnapshot): Promise<void> {
  if (!snapshot.existed) {
    rmSync(prefix, {recursive: true, force: true})
    return
  }
  for (const file of TRACKED) {
    const content = snapshot.files[file]
    if (content === undefined) rmSync(join(prefix, file), {force: true})
    else writeFileSync(join(prefix, file), content)
  }
  await runNpm(prefix, ['install'])
}

/** A signal that stopped npm: the caller undoes what npm did, then exits as the signal asks. */
export class NpmInterrupted extends RoomsimError {
  constructor(readonly signal: NodeJS.Signals) {
    super('INSTALL_FAILED', `interrupted by ${signal}`)
  }
}

// Compiled by the build (tsc); a bundled module's own URL does not say where dist/plugins is.
const GUARD = join(PACKAGE_ROOT, 'dist', 'plugins', 'npm-guard.cjs')

/** npm's own script, run with this Node (no shell wrapper between roomsim and npm), when it can be found. */
function npmCommand(): {file: string; args: string[]} {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue
    const candidate = join(folder, 'npm')
    if (!existsSync(candidate)) continue
    try {
      const real = realpathSync(candidate)
      if (real.endsWith('.js')) return {file: process.execPath, args: [real]}
    } catch {
      // Fall back to whatever "npm" is.
    }
    break
  }
  return {file: 'npm', args: []}
}

/**
 * Runs npm in the prefix; a failure is INSTALL_FAILED with npm's own reason.
 * npm leads a process group of its own and carries a guard that kills that
 * group when this process dies (even by SIGKILL); SIGINT and SIGTERM reaching
 * roomsim are passed on to the group, and npm's end is awaited. execa loads only here.
 */
export async function runNpm(prefix: string, args: readonly string[]): Promise<void> {
  const {execa} = await import('execa')
  const npm = npmCommand()
  const guard = existsSync(GUARD) ? `--require ${JSON.stringify(GUARD)}` : ''
  const child = execa(npm.file, [...npm.args, ...args, ...NPM_FLAGS, '--prefix', prefix], {
    cwd: prefix,
    reject: false,
    all: true,
    stdin: 'ignore',
    detached: true,
    env: {ROOMSIM_NPM_PARENT: String(process.pid), NODE_OPTIONS: [process.env.NODE_OPTIONS, guard].filter(Boolean).join(' ')},
  })
  let interrupted: NodeJS.Signals | undefined
  const forward = (signal: NodeJS.Signals) => {
    interrupted = signal
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM')
    } catch {
      // npm has just ended.
    }
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, forward)
  let result: Awaited<typeof child>
  try {
    result = await child
  } finally {
    for (const signal of signals) process.off(signal, forward)
  }
  if (interrupted) throw new NpmInterrupted(interrupted)
  if (result.failed) {
    const reason = result.code === 'ENOENT' ? 'npm was not found on PATH' : npmReason(result.all ?? '') ?? `npm exited with code ${result.exitCode}`
    throw new RoomsimError('INSTALL_FAILED', `npm ${args.join(' ')} failed: ${reason}`)
  }
}

/** The line of npm's output that says what went wrong (not its code, path or log-file lines). */
function npmReason(output: string): string | undefined {
  const lines = output
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '' && !/^(code|errno|syscall|path|A complete log|Log files|[0-9]+ verbose)\b/.test(line) && !/^npm warn/i.test(line))
  return lines[0]
}
