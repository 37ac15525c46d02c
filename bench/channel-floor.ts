/**
 * The floor of per-plugin process isolation on this machine: a round trip of
 * one frame (roomsim's own codec, a join's handler input) between this
 * process and an isolate that does nothing but send it back. No roomsim code
 * runs on either side beyond the framing, so no plugin runtime built on
 * processes and pipes can make a hook call cheaper than this here.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import type {Duplex} from 'node:stream'

import {encodeFrame, FrameReader} from '../src/protocol/channel.js'

/** The echo isolate: reads length-prefixed frames on fd 3, decodes each, encodes it again and writes it back. */
const ECHO = `
const {Socket} = require('node:net'); const {serialize, deserialize} = require('node:v8')
const channel = new Socket({fd: 3, readable: true, writable: true}); let held = Buffer.alloc(0)
channel.on('data', (chunk) => {
  held = held.length ? Buffer.concat([held, chunk]) : chunk
  while (held.length >= 4 && held.length >= 4 + held.readUInt32BE(0)) {
    const length = held.readUInt32BE(0); const payload = serialize(deserialize(held.subarray(4, 4 + length))); held = held.subarray(4 + length)
    const header = Buffer.allocUnsafe(4); header.writeUInt32BE(payload.length, 0); channel.write(Buffer.concat([header, payload]))
  }
})`

const joinInput = () => ({
  kind: 'invoke',
  id: 1,
  method: 'executePostRoomUserJoined',
  input: {room: {id: 'r1', slugifiedName: 'general', type: 'c', usernames: ['alice', 'bob'], userIds: ['u1', 'u2'], createdAt: new Date(), customFields: {}}, joiningUser: {id: 'u2', username: 'bob', roles: ['user'], createdAt: new Date()}},
})

/** Mean µs of one round trip, `trips` of them, taking the `children` echo isolates in turn as a step takes its plugins. */
export async function echoRoundTripUs(children: number, trips: number): Promise<number> {
  const isolates: ChildProcess[] = []
  try {
    const channels = await Promise.all(
      Array.from({length: children}, async () => {
        const child = spawn(process.execPath, ['-e', ECHO], {stdio: ['ignore', 'ignore', 'inherit', 'pipe']})
        isolates.push(child)
        const channel = child.stdio[3] as Duplex
        let answered: () => void = () => undefined
        const reader = new FrameReader(
          () => answered(),
          (reason) => {
            throw new Error(`echo isolate: ${reason}`)
          },
        )
        channel.on('data', (chunk: Buffer) => reader.push(chunk))
        const trip = (frame: Buffer) =>
          new Promise<void>((resolve) => {
            answered = resolve
            channel.write(frame)
          })
        await trip(encodeFrame(joinInput())) // the isolate is up and reading
        return trip
      }),
    )
    const frame = () => encodeFrame(joinInput())
    for (let warm = 0; warm < 200; warm++) await channels[warm % children]!(frame())
    const started = performance.now()
    for (let trip = 0; trip < trips; trip++) await channels[trip % children]!(frame())
    return ((performance.now() - started) * 1000) / trips
  } finally {
    for (const isolate of isolates) isolate.kill()
  }
}
