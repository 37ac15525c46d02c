import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import type {ActionName, Outcome} from './domain/types.js'
import type {ActionInputs} from './engine/actions/index.js'
import {printable} from './output/printable.js'
import {ERROR_CODES, type ErrorCode, EXIT, firstLine, messageOf, RoomsimError} from './errors.js'
import {formatOutcome} from './output/outcome.js'
import {loadStyle} from './output/style.js'
import {Workspace} from './workspace.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** The exit code of an outcome (SPEC §5). A post-stage error under abort exits 4 although the action completed. */
export function exitCodeOf(outcome: Outcome): number {
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
  }

  protected async workspace(): Promise<Workspace> {
    return Workspace.open({
      ...(this.flags.store ? {storePath: this.flags.store} : {}),
      ...(this.flags.config ? {configPath: this.flags.config} : {}),
    })
  }

  /** Runs one action through the engine, prints it for humans, sets the exit code. */
  protected async runAction<A extends ActionName>(action: A, input: ActionInputs[A]): Promise<Outcome> {
    const workspace = await this.workspace()
    workspace.validateWithoutStore(action, input)
    const engine = workspace.engine()
    this.onCleanup(() => engine.close())
    const outcome = await engine.run(action, input)
    if (!this.jsonEnabled()) this.log(formatOutcome(outcome, await loadStyle(), {verbose: this.flags.verbose}))
    process.exitCode = exitCodeOf(outcome)
    return outcome
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
    const {code, message} = classify(error)
    const verbose = this.argv.includes('--verbose') || Boolean(process.env.DEBUG)
    if (this.argv.includes('--json')) {
      this.logJson({error: {code, message}})
    } else {
      process.stderr.write(`Error: ${printable(message)}\n`)
    }
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`)
    this.exit(ERROR_CODES[code].exit)
  }
}

/** Maps any error to a code of the table: ours keep theirs, oclif's parse errors are usage errors. */
function classify(error: Error & {oclif?: {exit?: number}}): {code: ErrorCode; message: string} {
  if (error instanceof RoomsimError) return {code: error.code, message: firstLine(error.message)}
  if (error instanceof Errors.CLIError || error.oclif?.exit === 2) return {code: 'USAGE', message: usageLine(error.message)}
  return {code: 'INTERNAL', message: firstLine(messageOf(error))}
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
