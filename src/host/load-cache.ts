/**
 * What a plugin reported when it last loaded (its interfaces, checks and
 * declared settings), kept beside its bundle. While neither its code nor what
 * it was loaded with changed, roomsim knows which stages a plugin takes part in
 * without starting its isolate, and starts only the isolates an action needs.
 */
import {createHash} from 'node:crypto'
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {LoadReport, PluginSpec} from '../protocol/messages.js'
import {existingBundle} from './bundle.js'

function keyOf(spec: PluginSpec, inputs: unknown): string {
  const {name, entry, root, isApp, settings, packageDefaults, appPermissions} = spec
  return createHash('sha256').update(JSON.stringify({name, entry, root, isApp, settings, packageDefaults, appPermissions, inputs})).digest('hex')
}

export function cachedReport(spec: PluginSpec, folder: string): LoadReport | undefined {
  const bundle = existingBundle(spec, folder)
  if (!bundle) return undefined
  try {
    const saved = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as {key: string; report: LoadReport}
    return saved.key === keyOf(spec, bundle.inputs) ? saved.report : undefined
  } catch {
    return undefined
  }
}

/** Keeps a clean load's report; a failed load is never cached (it is retried next time). */
export function saveReport(spec: PluginSpec, folder: string, report: LoadReport): void {
  const bundle = existingBundle(spec, folder)
  if (!bundle || report.error) return
  const file = join(folder, 'report.json')
  const text = JSON.stringify({key: keyOf(spec, bundle.inputs), report})
  try {
    // Most loads report what the last one did: nothing to write then.
    if (readFileSync(file, 'utf8') === text) return
  } catch {
    // No report yet.
  }
  try {
    writeFileSync(`${file}.${process.pid}.tmp`, text)
    renameSync(`${file}.${process.pid}.tmp`, file)
  } catch {
    // A cache that cannot be written only costs the next run a start.
  }
}
