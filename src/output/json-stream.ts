/**
 * Writes a JSON array item by item, exactly as JSON.stringify(items, null, 2)
 * would, so a listing of any size never has to exist as one string.
 */
const CHUNK = 64 * 1024

export async function writeJsonArray(items: Iterable<unknown>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let buffer = ''
  let first = true
  const flush = async (): Promise<void> => {
    if (buffer === '') return
    const text = buffer
    buffer = ''
    // Wait for a slow reader instead of queueing the whole listing in memory.
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  for (const item of items) {
    buffer += `${first ? '[\n' : ',\n'}  ${JSON.stringify(item, null, 2).replaceAll('\n', '\n  ')}`
    first = false
    if (buffer.length >= CHUNK) await flush()
  }
  buffer += first ? '[]\n' : '\n]\n'
  await flush()
}

/** Passes items through, counting them as they go by. */
export function* counted<T>(items: Iterable<T>, onItem: () => void): Generator<T> {
  for (const item of items) {
    onItem()
    yield item
  }
}
