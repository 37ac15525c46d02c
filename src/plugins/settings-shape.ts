import {RoomsimError} from '../errors.js'

/** One setting as Apps-Engine declares it (ISetting): `packageValue` is the default, `value` an override. */
interface DeclaredSetting {
  id: string
  packageValue?: unknown
  value?: unknown
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A plugin's declared settings as `id → default`. Two shapes are read: roomsim's
 * own map (`{banned: ["spam"]}`) and the Apps-Engine list
 * (`[{id: "banned", packageValue: ["spam"], …}]`), where a `value` wins over
 * `packageValue` as the server reads it. Anything else is refused, naming `what`.
 */
export function declaredSettings(declared: unknown, what: string): Record<string, unknown> {
  if (declared === undefined || declared === null) return {}
  if (isObject(declared)) return declared
  if (!Array.isArray(declared)) throw new RoomsimError('BAD_PLUGIN', `${what}: expected a map of setting → default, or a list of {id, packageValue}`)
  const settings: Record<string, unknown> = {}
  declared.forEach((entry: unknown, index) => {
    if (!isObject(entry) || typeof entry.id !== 'string' || entry.id === '') {
      throw new RoomsimError('BAD_PLUGIN', `${what}[${index}]: a setting in the Apps-Engine list shape needs an "id" (and a "packageValue")`)
    }
    const setting = entry as unknown as DeclaredSetting
    settings[setting.id] = setting.value ?? setting.packageValue
  })
  return settings
}
