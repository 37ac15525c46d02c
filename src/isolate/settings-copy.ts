/**
 * The plugin's settings as the host last sent them with a handler call
 * (InvokeRequest.settings). ISettingRead is answered from this copy, so a
 * setting read costs no round trip to the host; a setting the copy does not
 * have as its own key (or a malformed id) still goes to the host, which answers
 * it or words the error exactly as before. A handler's own
 * ISettingUpdater.updateValue goes to the host and, once accepted, lands here
 * too, so the handler reads back what it wrote. A change made outside the
 * plugin (a scenario's settings step) arrives with the next handler call.
 */
import type {AccessorMethod} from '../protocol/accessors.js'
import {type MergedSettings, settingRecord} from '../domain/settings.js'

let copy: MergedSettings | undefined

export function takeSettings(settings: MergedSettings): void {
  copy = settings
}

/** The answer to a setting read from the copy, or undefined when the host must answer it. */
export function answerSettingRead(method: AccessorMethod, args: readonly unknown[]): {value: unknown} | undefined {
  if (!copy || (method !== 'settings.getValueById' && method !== 'settings.getById')) return undefined
  const id = args[0]
  if (typeof id !== 'string' || id === '' || !Object.hasOwn(copy.values, id)) return undefined
  // A fresh copy per read, as a host answer is: a handler that changes what it read changes nothing else.
  const value = structuredClone(copy.values[id])
  return {value: method === 'settings.getValueById' ? value : settingRecord(id, value, structuredClone(copy.defaults[id]))}
}

/** A change the host accepted (ISettingUpdater.updateValue): later reads in this isolate see it at once. */
export function noteSettingUpdate(method: AccessorMethod, args: readonly unknown[]): void {
  if (method !== 'settings.updateValue' || !copy || typeof args[0] !== 'string') return
  copy = {defaults: copy.defaults, values: {...copy.values, [args[0]]: structuredClone(args[1])}}
}
