import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {Config, Errors, run as runOclif} from '@oclif/core'

import type {CliResult} from './process.js'
import {ROOT} from './paths.js'

/**
 * Runs a roomsim command in this process, from its TypeScript source, the way
 * oclif would (`Command.run` with the real config and parser), capturing what it
 * writes to stdout and stderr and the exit code it ends with. No build needed,
 * no process start-up: this is how behaviour is tested. What only a real process
 * shows (exit on signals, stdout purity of the binary, colour, concurrency)
 * stays with `runCli`.
 *
 * Runs are serialised: stdout, stderr, the working folder and the environment
 * are process-wide.
 */

let config: Promise<Config> | undefined
let queue: Promise<unknown> = Promise.resolve()

const COMMANDS = join(ROOT, 'src', 'commands')

/** The longest leading run of arguments that names a command file under src/commands. */
function findCommand(args: string[]): {file: string; rest: string[]; id: string} | undefined {
  for (let length = Math.min(args.length, 3); length > 0; length--) {
    const words = args.slice(0, length)
    // Only command words: `link .` must not resolve to `link/.ts`, which join() would normalise to link.ts.
    if (words.some((word) => !/^[a-z][a-z0-9-]*$/.test(word))) continue
    const file = join(COMMANDS, ...words) + '.ts'
    if (existsSync(file)) return {file, rest: args.slice(length), id: words.join(':')}
  }
  return undefined
}

/** The environment a spawned run gets (see childEnv), applied to this process for one run. */
function applyEnv(env: Record<string, string | undefined>): () => void {
  const saved = {...process.env}
  delete process.env.FORCE_COLOR
  delete process.env.ROOMSIM_STORE
  Object.assign(process.env, {NO_COLOR: '1'})
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

export interface InProcessOptions {
  cwd: string
  env?: Record<string, string | undefined>
  /** Pretend stdout is a terminal (for what roomsim prints only to people). */
  tty?: boolean
  /** The terminal's width, with `tty`. */
  columns?: number
}

export function runCommand(args: string[], options: InProcessOptions): Promise<CliResult> {
  const run = queue.then(() => runNow(args, options))
  queue = run.catch(() => undefined)
  return run
}

async function runNow(args: string[], {cwd, env = {}, tty = false, columns}: InProcessOptions): Promise<CliResult> {
  config ??= Config.load({root: ROOT})
  const loaded = await config
  const found = findCommand(args)
  // What is not a command file (help, unknown commands, plugins' commands) goes through oclif's own dispatch, from dist/.
  const execute = found
    ? async () => {
        const {default: command} = (await import(pathToFileURL(found.file).href)) as {default: {id?: string; run(argv: string[], config: Config): Promise<unknown>}}
        command.id = found.id
        await command.run(found.rest, loaded)
      }
    : () => runOclif(args, loaded)

  let stdout = ''
  let stderr = ''
  const writeOut = process.stdout.write
  const writeErr = process.stderr.write
  const wasTty = process.stdout.isTTY
  const wasColumns = process.stdout.columns
  const previousCwd = process.cwd()
  const restoreEnv = applyEnv(env)
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write
  process.stdout.isTTY = tty
  if (columns !== undefined) process.stdout.columns = columns
  process.exitCode = undefined
  process.chdir(cwd)
  let code: number
  try {
    await execute()
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    if (error instanceof Errors.ExitError) code = error.oclif.exit ?? 1
    else {
      stderr += `uncaught: ${(error as Error).stack ?? String(error)}\n`
      code = (error as {oclif?: {exit?: number}}).oclif?.exit ?? 1
    }
  } finally {
    process.stdout.write = writeOut
    process.stderr.write = writeErr
    process.stdout.isTTY = wasTty
    process.stdout.columns = wasColumns
    process.exitCode = undefined
    process.chdir(previousCwd)
    restoreEnv()
  }
  return {
    code,
    stdout,
    stderr,
    killed: false,
    json: () => {
      try {
        return JSON.parse(stdout)
      } catch (error) {
        throw new Error(`stdout is not JSON (${(error as Error).message}):\nstdout:\n${stdout}\nstderr:\n${stderr}`)
      }
    },
  }
}
