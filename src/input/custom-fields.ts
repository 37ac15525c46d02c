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
    const value = parseValue(pair.slice(at + 1))
    if (hasNonFinite(value)) {
      throw new RoomsimError('INVALID_INPUT', `--custom-field "${clip(pair)}": a number is too large for JSON (it would be stored as null); quote it to keep it as text, e.g. ${key}='"${clip(pair.slice(at + 1))}"'`)
    }
    fields.set(key, value)
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

/** 1e999 parses as Infinity, which JSON can only store as null. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value)
  if (Array.isArray(value)) return value.some(hasNonFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasNonFinite)
  return false
}

const clip = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text)
