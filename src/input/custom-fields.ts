import {RoomsimError} from '../errors.js'

/** `KEY=VALUE` pairs; VALUE is JSON when it parses (`level=3`, `tags=["a"]`), else the text itself. */
export function parseCustomFields(pairs: readonly string[]): Record<string, unknown> {
  // Own keys only: "toString" or "__proto__" are field names like any other.
  const fields = new Map<string, unknown>()
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new RoomsimError('INVALID_INPUT', `--custom-field "${pair}": expected KEY=VALUE`)
    const key = pair.slice(0, at)
    if (key.includes('.')) throw new RoomsimError('INVALID_INPUT', `--custom-field "${pair}": the key must not contain "."`)
    if (fields.has(key)) throw new RoomsimError('INVALID_INPUT', `--custom-field "${key}" is given twice`)
    fields.set(key, parseValue(pair.slice(at + 1)))
  }
  return Object.fromEntries(fields)
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
