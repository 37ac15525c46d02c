import {spawn} from 'node:child_process'

import {BIN} from './paths.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** The process was killed: it did not end within `limitMs`. */
  killed: boolean
  /** stdout parsed as JSON (throws if it is not one JSON document). */
  json<T = any>(): T
}

/** A run that takes longer than this is stuck: it is killed and the test fails, naming the command. */
const WATCHDOG_MS = 120_000

/**
 * Environment of every spawned run. FORCE_COLOR and ROOMSIM_STORE are removed, not
 * blanked: Node warns on stderr when NO_COLOR meets any FORCE_COLOR. libuv's
 * io_uring file backend is turned off: on this kind of VM a spawned node once sat
 * forever in module loading with an idle event loop (a file opened, its read never
 * completed), before any roomsim code ran; the thread-pool backend is the proven one.
 */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const {FORCE_COLOR: _color, ROOMSIM_STORE: _store, ...inherited} = process.env
  const merged: NodeJS.ProcessEnv = {...inherited, NO_COLOR: '1', UV_USE_IO_URING: '0', ...env}
  // A variable given as undefined is removed (NO_COLOR, to test colour).
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key]
  return merged
}

/**
 * Runs the real binary, as a user does, in `cwd`, with colour off unless asked.
 * With `limitMs`, a run that outlives it is killed and comes back `killed` (a
 * hang must fail the test, not stall the suite); without, the watchdog fails it.
 */
export function runCli(
  args: string[],
  {cwd, env = {}, input, limitMs}: {cwd: string; env?: Record<string, string | undefined>; input?: string; limitMs?: number},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: childEnv(env)})
    let stdout = ''
    let stderr = ''
    let killed = false
    const watchdog = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
      if (limitMs === undefined) reject(new Error(`roomsim ${args.join(' ')} did not finish within ${WATCHDOG_MS / 1000} s; killed it.\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, limitMs ?? WATCHDOG_MS)
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.stdin.end(input ?? '')
    child.on('close', (code) => {
      clearTimeout(watchdog)
      resolvePromise({
        code: code ?? -1,
        stdout,
        stderr,
        killed,
        json: () => {
          try {
            return JSON.parse(stdout)
          } catch (error) {
            throw new Error(`stdout is not JSON (${(error as Error).message}):\nstdout:\n${stdout}\nstderr:\n${stderr}`)
          }
        },
      })
    })
  })
}

/** Runs the real binary, killing it when it has not ended within `limitMs`: this checks that roomsim ends, not how fast. */
export const runBounded = (args: string[], {cwd, limitMs = 30_000}: {cwd: string; limitMs?: number}): Promise<CliResult> => runCli(args, {cwd, limitMs})

/** A long-running roomsim (--watch, --follow) with its output so far, for tests that talk to it while it runs. */
export interface RunningCli {
  output(): string
  errors(): string
  /** Resolves once stdout matches `pattern` (counting from character `from`); fails after `limitMs`. */
  waitFor(pattern: RegExp, {from, limitMs}?: {from?: number; limitMs?: number}): Promise<void>
  /** Sends `signal` and resolves with the exit code (or the signal that ended it). */
  stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

export function startCli(args: string[], {cwd, env = {}}: {cwd: string; env?: Record<string, string | undefined>}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, env: childEnv(env)})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolveEnd) => child.on('close', (code, signal) => resolveEnd({code, signal})))
  return {
    output: () => stdout,
    errors: () => stderr,
    waitFor(pattern, {from = 0, limitMs = 60_000} = {}) {
      return new Promise((resolveWait, reject) => {
        const check = () => {
          if (pattern.test(stdout.slice(from))) {
            clearInterval(poll)
            clearTimeout(limit)
            resolveWait()
          }
        }
        const poll = setInterval(check, 25)
        const limit = setTimeout(() => {
          clearInterval(poll)
          reject(new Error(`roomsim ${args.join(' ')}: no ${pattern} in its output within ${limitMs / 1000} s.\nstdout: ${stdout}\nstderr: ${stderr}`))
        }, limitMs)
        check()
      })
    },
    async stop(signal = 'SIGINT') {
      child.kill(signal)
      return ended
    },
  }
}
