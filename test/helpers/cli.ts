import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'bin', 'run.js')
export const EXAMPLE_PLUGINS = join(ROOT, 'plugins')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON (throws if it is not one JSON document). */
  json<T = any>(): T
}

/** Runs the real binary, as a user does, in `cwd`, with colour off unless asked. */
export function runCli(args: string[], {cwd, env = {}, input}: {cwd: string; env?: Record<string, string>; input?: string}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    // FORCE_COLOR and ROOMSIM_STORE are removed, not blanked: Node warns on stderr when NO_COLOR meets any FORCE_COLOR.
    const {FORCE_COLOR: _color, ROOMSIM_STORE: _store, ...inherited} = process.env
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...inherited, NO_COLOR: '1', ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.stdin.end(input ?? '')
    child.on('close', (code) =>
      resolvePromise({
        code: code ?? -1,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout)
          } catch (error) {
            throw new Error(`stdout is not JSON (${(error as Error).message}):\n${stdout}\nstderr:\n${stderr}`)
          }
        },
      }),
    )
  })
}

/** A fresh temporary folder per test; removed by the returned cleanup. */
export function tempDir(prefix = 'roomsim-test-'): {dir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
