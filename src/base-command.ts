import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {ConfigError} from './config/load.js'
import {outcomeView} from './domain/room-view.js'
import type {ActionName, Outcome, Room} from './domain/types.js'
import type {ActionInputs} from './engine/actions/index.js'
import {printable} from './output/printable.js'
import {ERROR_CODES, type ErrorCode, EXIT, firstLine, messageOf, RoomsimError} from './errors.js'
import {formatOutcome} from './output/outcome.js'
import {closest} from './scenario/schema/checker.js'
import {loadStyle} from './output/style.js'
import {currentStorePath} from './store/database.js'
import {isSqliteError, storeFault} from './store/faults.js'
import {Workspace} from './workspace.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** The exit code of an outcome (SPEC §5). A post-stage error under abort exits 4 although the action completed. */
export function exitCodeOf(outcome: Outcome<unknown>): number {
  if (outcome.status === 'prevented') return EXIT.prevented
  if (outcome.status === 'failed' || outcome.error) return EXIT.pluginFailed
  return EXIT.ok
}

/**
 * What every roomsim command shares: the global flags, the workspace, and one
 * place that turns any error into one line (or one JSON document) and its
 * documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    store: Flags.string({summary: 'Store file to use (default: .roomsim/store.db).', env: 'ROOMSIM_STORE', helpGroup: 'GLOBAL'}),
    config: Flags.string({summary: 'Config file to use instead of searching for one.', helpGroup: 'GLOBAL'}),
    verbose: Flags.boolean({summary: 'Show plugin logs and error details.', helpGroup: 'GLOBAL'}),
    color: Flags.boolean({summary: 'Colour the output (--no-color: never). Default: on a terminal, unless NO_COLOR or TERM=dumb.', allowNo: true, helpGroup: 'GLOBAL'}),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  private readonly cleanups: (() => Promise<void> | void)[] = []

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    // The flag speaks through the variables every colour decision reads (see output/style.ts).
    if (flags.color === false) {
      delete process.env.FORCE_COLOR
      process.env.NO_COLOR = '1'
    } else if (flags.color === true) {
      delete process.env.NO_COLOR
      process.env.FORCE_COLOR = '1'
    }
  }

  protected async workspace(): Promise<Workspace> {
    return Workspace.open({
      ...(this.flags.store ? {storePath: this.flags.store} : {}),
      ...(this.flags.config ? {configPath: this.flags.config} : {}),
    })
  }

  /** Runs one action through the engine, prints it for humans, sets the exit code. */
  /** Returns the outcome as --json prints it, its rooms with their member lists. */
  protected async runAction<A extends ActionName>(action: A, input: ActionInputs[A]): Promise<Outcome<Room>> {
    const workspace = await this.workspace()
    workspace.validateWithoutStore(action, input)
    const engine = workspace.engine()
    this.onCleanup(() => engine.close())
    // A person at a terminal is told why no hook line appears; scripts (--json, pipes) are not.
    if (!this.jsonEnabled() && process.stdout.isTTY && !engine.plugins.some((plugin) => plugin.enabled)) {
      process.stderr.write('No plugins loaded: no hooks will run. Set some up with "roomsim init --examples", or "roomsim plugins link PATH".\n')
    }
    const outcome = await engine.run(action, input)
    if (!this.jsonEnabled()) this.log(formatOutcome(outcome, await loadStyle(), {verbose: this.flags.verbose}))
    if (outcome.logIncomplete) process.stderr.write(`Warning: ${outcome.logIncomplete}\n`)
    process.exitCode = exitCodeOf(outcome)
    // Only --json prints the whole room; for humans the member list stays unread.
    return this.jsonEnabled() ? outcomeView(outcome) : {...outcome, room: null, nested: []}
  }

  /** Every flag this command takes, as typed on the command line. */
  private knownFlags(): string[] {
    const flags = {...(this.ctor as typeof BaseCommand).baseFlags, ...this.ctor.flags} as Record<string, {char?: string; allowNo?: boolean}>
    return Object.entries(flags).flatMap(([name, flag]) => [`--${name}`, ...(flag.allowNo ? [`--no-${name}`] : [])]).concat('--json', '--help')
  }

  protected onCleanup(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup)
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup()
    return super.finally(error)
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<never> {
    if (error instanceof Errors.ExitError) throw error
    const {code, message} = classify(error, this.knownFlags())
    const verbose = this.argv.includes('--verbose') || Boolean(process.env.DEBUG)
    // A config file's problems are all listed, one per line, as scenario files' are.
    const problems = error instanceof ConfigError && error.problems.length > 1 ? error.problems : undefined
    if (this.argv.includes('--json')) {
      this.logJson({error: {code, message, ...(problems ? {problems} : {})}})
    } else {
      process.stderr.write(`Error: ${printable(message)}\n${problems ? problems.map((line) => `  ${printable(line)}\n`).join('') : ''}`)
    }
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`)
    this.exit(ERROR_CODES[code].exit)
  }
}

/** Maps any error to a code of the table: ours keep theirs, oclif's parse errors are usage errors. */
function classify(error: Error & {oclif?: {exit?: number}}, knownFlags: string[]): {code: ErrorCode; message: string} {
  if (error instanceof RoomsimError) return {code: error.code, message: firstLine(error.message)}
  if (error instanceof Errors.CLIError || error.oclif?.exit === 2) return {code: 'USAGE', message: usageLine(error.message) + flagHint(error.message, knownFlags)}
  const fault = isSqliteError(error) ? storeFault(error, currentStorePath() ?? 'the store') : undefined
  if (fault) return {code: fault.code, message: firstLine(fault.message)}
  return {code: 'INTERNAL', message: firstLine(messageOf(error))}
}

/** "did you mean" for a mistyped flag, from oclif's "Nonexistent flag: --bye" */
function flagHint(text: string, knownFlags: string[]): string {
  const typed = /Nonexistent flags?: (\S+?)(?:,|\s|$)/.exec(text)?.[1]?.split('=')[0]
  const hint = typed ? closest(typed, knownFlags) : undefined
  return hint ? ` (did you mean ${hint}?)` : ''
}

/** oclif's framing lines, which carry no information of their own. */
const BOILERPLATE = /^(See more help with --help|The following errors? occurred:)$/

/**
 * oclif's parse errors spread their point over several lines ("Missing 1 required
 * arg:" / "room  Room name or id."): their lines are joined, not cut, without the framing.
 */
function usageLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !BOILERPLATE.test(line))
  if (lines.length === 0) return firstLine(text)
  return lines.reduce((joined, line) => `${joined}${/[:.]$/.test(joined) ? ' ' : ': '}${line}`)
}
