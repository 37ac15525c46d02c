/** Date's own setters write to an internal slot that Object.freeze does not guard. */
const DATE_SETTERS = Object.getOwnPropertyNames(Date.prototype).filter((name) => name.startsWith('set'))

/**
 * A frozen Date inherits from this: Date.prototype with every setter throwing.
 * One prototype for all, set before the freeze (which then keeps it), costs a
 * fraction of redefining each setter on each Date.
 */
const FROZEN_DATE = Object.create(
  Date.prototype,
  Object.fromEntries(
    DATE_SETTERS.map((setter) => [
      setter,
      {
        value: () => {
          throw new TypeError(`Cannot call ${setter}() on a frozen Date: handlers receive read-only copies`)
        },
      },
    ]),
  ),
) as Date

function freezeDate(date: Date): void {
  Object.setPrototypeOf(date, FROZEN_DATE)
}

/**
 * Handlers receive deep-frozen copies: mutating one throws inside the plugin and
 * changes nothing. Getters are not called (a room's lazy member lists freeze themselves when read).
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    if (value instanceof Date) freezeDate(value)
    Object.freeze(value)
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) if ('value' in descriptor) deepFreeze(descriptor.value)
  }
  return value
}
