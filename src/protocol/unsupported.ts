/**
 * Wraps an accessor object so that any method roomsim does not implement fails
 * loudly, naming itself, instead of reading as a silent `undefined`.
 */
const PASS_THROUGH = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', 'nodeType'])

export class NotSupportedError extends Error {
  override name = 'NotSupportedError'
}

export function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object || PASS_THROUGH.has(property)) {
        return Reflect.get(object, property, receiver)
      }
      return () => {
        throw new NotSupportedError(`${name}.${property}() is not supported by roomsim`)
      }
    },
  })
}
