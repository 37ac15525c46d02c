/**
 * The wire between roomsim and one plugin's isolate: a pipe of its own per
 * plugin, carrying frames of a 4-byte length and a structured-clone payload
 * (node:v8 serialize). The reader never trusts the other end: a frame too
 * large, bytes that do not decode, or anything after that ends the channel
 * with a reason, never with an exception in the reader's process.
 */
import {deserialize, serialize} from 'node:v8'

/** Largest frame either side accepts: a handler's return, a log line or a call never needs more. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024

/** One frame; `limit` is MAX_FRAME_BYTES but for the member pipe, whose answers the isolate bounds itself. */
export function encodeFrame(message: unknown, limit = MAX_FRAME_BYTES): Buffer {
  const payload = serialize(message)
  if (payload.length > limit) throw new RangeError(`a message of ${payload.length} bytes is over the limit of ${limit}`)
  const header = Buffer.allocUnsafe(4)
  header.writeUInt32BE(payload.length, 0)
  return Buffer.concat([header, payload])
}

/**
 * Cuts a byte stream into decoded messages. `onMessage` gets each decoded
 * value (still unvalidated); `onBroken` is called once with why the stream
 * cannot be read any further, after which the reader ignores everything.
 */
export class FrameReader {
  private buffered: Buffer[] = []
  private size = 0
  private broken = false

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly onBroken: (reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return
    this.buffered.push(chunk)
    this.size += chunk.length
    for (;;) {
      if (this.size < 4) return
      if (this.buffered[0]!.length < 4) this.buffered = [Buffer.concat(this.buffered)]
      const length = this.buffered[0]!.readUInt32BE(0)
      if (length > MAX_FRAME_BYTES) return this.fail(`sent a message of ${length} bytes (the limit is ${MAX_FRAME_BYTES})`)
      if (this.size < 4 + length) return
      this.take(4)
      const payload = this.take(length)
      let message: unknown
      try {
        message = deserialize(payload)
      } catch (error) {
        return this.fail(`sent bytes that are not a message (${(error as Error).message})`)
      }
      this.onMessage(message)
      if (this.broken) return
    }
  }

  private fail(reason: string): void {
    this.broken = true
    this.buffered = []
    this.size = 0
    this.onBroken(reason)
  }

  /** Removes and answers the first `count` bytes (called only once they have all arrived). */
  private take(count: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
    this.buffered = all.length > count ? [all.subarray(count)] : []
    this.size -= count
    return all.subarray(0, count)
  }
}
