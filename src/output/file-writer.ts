/**
 * A report file written in chunks: one write per step costs more than
 * rendering the step (docs/performance.md), and a chunk bounds what is held.
 * What is pending is written when the writer is closed, and at process exit
 * so a run stopped by a signal still leaves every step it reported.
 */
import {closeSync, openSync, writeSync} from 'node:fs'

/** Characters held before they are written. */
const CHUNK_CHARS = 64 * 1024

export interface FileWriter {
  write(text: string): void
  close(): void
}

export function openFileWriter(path: string): FileWriter {
  const fd = openSync(path, 'w')
  let pending: string[] = []
  let size = 0
  let closed = false
  const flush = (): void => {
    if (size === 0) return
    const text = pending.join('')
    pending = []
    size = 0
    writeSync(fd, text)
  }
  process.once('exit', flush)
  return {
    write(text) {
      pending.push(text)
      size += text.length
      if (size >= CHUNK_CHARS) flush()
    },
    close() {
      if (closed) return
      closed = true
      process.removeListener('exit', flush)
      flush()
      closeSync(fd)
    },
  }
}
