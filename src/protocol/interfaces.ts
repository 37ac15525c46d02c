/**
 * The ten Apps-Engine room event interfaces roomsim runs. A plugin implements an
 * interface when it has the interface's `execute*` method; `check*` is optional
 * and only exists for the create/delete interfaces.
 */
export const ROOM_INTERFACES = {
  IPreRoomCreatePrevent: {hasCheck: true},
  IPreRoomCreateExtend: {hasCheck: true},
  IPreRoomCreateModify: {hasCheck: true},
  IPostRoomCreate: {hasCheck: true},
  IPreRoomDeletePrevent: {hasCheck: true},
  IPostRoomDeleted: {hasCheck: true},
  IPreRoomUserJoined: {hasCheck: false},
  IPostRoomUserJoined: {hasCheck: false},
  IPreRoomUserLeave: {hasCheck: false},
  IPostRoomUserLeave: {hasCheck: false},
} as const satisfies Record<string, {hasCheck: boolean}>

export type InterfaceName = keyof typeof ROOM_INTERFACES
export const INTERFACE_NAMES = Object.keys(ROOM_INTERFACES) as InterfaceName[]

/** `IPreRoomCreatePrevent` → `executePreRoomCreatePrevent`. */
export const executeMethodOf = (name: InterfaceName): string => `execute${name.slice(1)}`

/** `IPreRoomCreatePrevent` → `checkPreRoomCreatePrevent`, or undefined where upstream has no check. */
export const checkMethodOf = (name: InterfaceName): string | undefined =>
  ROOM_INTERFACES[name].hasCheck ? `check${name.slice(1)}` : undefined

/** The interfaces an object implements, judged by its methods (own or inherited). */
export function interfacesImplementedBy(handler: object): InterfaceName[] {
  return INTERFACE_NAMES.filter((name) => typeof (handler as Record<string, unknown>)[executeMethodOf(name)] === 'function')
}
