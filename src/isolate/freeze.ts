/** Date's own setters write to an internal slot that Object.freeze does not guard. */
const DATE_SETTERS = Object.getOwnPropertyNames(Date.prototype).filter((name) => name.startsWith('set'))

function freezeDate(date: Date): void {
  for (const setter of DATE_SETTERS) {
    Object.defineProperty(date, setter, {
      value: () => {
        throw new TypeError(`Cannot call ${setter}() on a frozen Date: handlers receive read-only copies`)
      },
    })
  }
}

/** Handlers receive deep-frozen copies: mutating one throws inside the plugin and changes nothing. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    if (value instanceof Date) freezeDate(value)
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}
