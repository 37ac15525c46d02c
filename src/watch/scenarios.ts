/**
 * `scenario run --watch`: runs the scenarios, then re-runs the ones a change
 * affects — a scenario file itself, a plugin folder its scenarios load, or
 * (for every scenario) the config file and the plugins it lists or links —
 * until Ctrl-C. Watchers are rebuilt after every run, since an edit can
 * change which plugins a scenario loads.
 */
import {type FSWatcher, watch} from 'node:fs'
import {basename, dirname, relative, resolve, sep} from 'node:path'

import {pause, untilInterrupted} from './interrupt.js'

/** What one run covered: the files it ran and what each depends on. */
export interface WatchedRun {
  /** Absolute paths of the scenario files the arguments named. */
  scenarioFiles: string[]
  /** Scenario file → the plugin folders its scenarios load. */
  pluginsOf: Map<string, string[]>
  /** The config file, and the plugin folders it lists or the store links: a change there re-runs everything. */
  configFile?: string
  sharedPlugins: string[]
}

export interface WatchOptions {
  cwd: string
  /** Runs the scenarios of these files (all when undefined), prints their report, says what it covered. */
  run(only: Set<string> | undefined): Promise<WatchedRun>
  /** Where the banner and screen clearing go; undefined when stdout is not a terminal (then nothing extra is printed). */
  terminal?: NodeJS.WriteStream
  /** Ends the watch (tests); Ctrl-C does by default. */
  signal?: AbortSignal
}

/** Changes closer together than this are one change (an editor saves in several writes). */
const SETTLE_MS = 120

const CLEAR = '\u001B[2J\u001B[3J\u001B[H'

const isInside = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)

/** Which scenario files a changed path affects; undefined means all of them. */
export function affectedBy(changed: readonly string[], covered: WatchedRun): Set<string> | undefined {
  // Nothing ran (no file matched yet, or the config was broken): any change may fix that.
  if (covered.scenarioFiles.length === 0) return undefined
  const affected = new Set<string>()
  for (const path of changed) {
    if (path === covered.configFile) return undefined
    if (covered.scenarioFiles.includes(path)) affected.add(path)
    let usedByScenario = false
    for (const [file, plugins] of covered.pluginsOf) {
      if (plugins.some((folder) => isInside(path, folder))) {
        affected.add(file)
        usedByScenario = true
      }
    }
    if (!usedByScenario && covered.sharedPlugins.some((folder) => isInside(path, folder))) return undefined
    // A new or renamed scenario file beside the others: the next run resolves the arguments again and takes it if they name it.
    if (!covered.scenarioFiles.includes(path) && /\.(ya?ml|json)$/.test(path) && covered.scenarioFiles.some((file) => dirname(file) === dirname(path))) affected.add(path)
  }
  return affected
}

/** Watches what a run covered; reports each changed path (absolute). */
function watchCovered(covered: WatchedRun, cwd: string, onChange: (path: string) => void): FSWatcher[] {
  const watchers: FSWatcher[] = []
  const add = (target: string, recursive: boolean, accept: (path: string) => boolean): void => {
    try {
      const watcher = watch(target, {recursive, persistent: true}, (_event, name) => {
        const path = name ? resolve(target, name.toString()) : target
        if (accept(path)) onChange(path)
      })
      watcher.on('error', () => undefined)
      watchers.push(watcher)
    } catch {
      // A folder that is gone cannot be watched; the run that follows a change reports it.
    }
  }
  const files = [...covered.scenarioFiles, ...(covered.configFile ? [covered.configFile] : [])]
  // Editors replace files (write a copy, rename it over): watch the folders, keep their names.
  for (const folder of new Set(files.map((file) => dirname(file)))) {
    add(folder, false, (path) => files.includes(path) || /\.(ya?ml|json)$/.test(basename(path)))
  }
  // With nothing to run yet, the working folder is watched for the files the arguments will name.
  if (covered.scenarioFiles.length === 0) add(cwd, true, (path) => !relative(cwd, path).split(sep).some((part) => part === 'node_modules' || part.startsWith('.')))
  const plugins = new Set([...covered.pluginsOf.values()].flat().concat(covered.sharedPlugins))
  for (const folder of plugins) add(folder, true, (path) => !relative(folder, path).split(sep).some((part) => part === 'node_modules' || part.startsWith('.')))
  return watchers
}

export async function watchScenarios({cwd, run, terminal, signal}: WatchOptions): Promise<void> {
  const interrupt = signal ? undefined : untilInterrupted()
  const stopped = signal ?? interrupt!.signal
  const changed = new Set<string>()
  let covered = await run(undefined)
  try {
    while (!stopped.aborted) {
      if (terminal) terminal.write(`\nWatching ${covered.scenarioFiles.length} scenario file${covered.scenarioFiles.length === 1 ? '' : 's'} and their plugins. Ctrl-C to stop.\n`)
      const watchers = watchCovered(covered, cwd, (path) => changed.add(path))
      let affected: Set<string> | undefined
      try {
        for (;;) {
          while (changed.size === 0 && !stopped.aborted) await pause(50, stopped)
          if (stopped.aborted) return
          // Let a burst of writes settle into one change.
          let size: number
          do {
            size = changed.size
            await pause(SETTLE_MS, stopped)
          } while (changed.size !== size && !stopped.aborted)
          affected = affectedBy([...changed], covered)
          const paths = [...changed].map((path) => relative(cwd, path) || path)
          changed.clear()
          if (affected === undefined || affected.size > 0) {
            if (terminal) terminal.write(`${CLEAR}Changed: ${paths.join(', ')}\n\n`)
            break
          }
        }
      } finally {
        for (const watcher of watchers) watcher.close()
      }
      if (stopped.aborted) return
      covered = mergeCovered(covered, await run(affected))
    }
  } finally {
    interrupt?.dispose()
  }
}

/** After a partial run, what is watched is the whole set again, with the fresh dependencies of the files that ran. */
function mergeCovered(before: WatchedRun, after: WatchedRun): WatchedRun {
  const pluginsOf = new Map(before.pluginsOf)
  for (const [file, plugins] of after.pluginsOf) pluginsOf.set(file, plugins)
  const scenarioFiles = after.scenarioFiles.length >= before.scenarioFiles.length ? after.scenarioFiles : [...new Set([...before.scenarioFiles, ...after.scenarioFiles])]
  return {scenarioFiles, pluginsOf, sharedPlugins: after.sharedPlugins, ...(after.configFile ? {configFile: after.configFile} : {})}
}
