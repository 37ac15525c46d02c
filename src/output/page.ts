import {Flags} from '@oclif/core'

import {counted, writeJsonArray} from './json-stream.js'
import {formatTable} from './table.js'

/** What a list shows unless told otherwise: enough to read, never the whole of a big store. */
export const DEFAULT_PAGE = 50

/** `--limit` and `--offset` for every command that lists (rooms, users, the log, a room's messages). */
export const pageFlags = (what: string, defaultLimit = DEFAULT_PAGE) => ({
  limit: Flags.integer({summary: `How many ${what} to show (default ${defaultLimit}).`, default: defaultLimit, min: 1}),
  offset: Flags.integer({summary: `Skip this many ${what} first.`, default: 0, min: 0}),
})

/**
 * The line that says a list is cut: "50 of 1200 rooms shown (--offset 50 for the next page)".
 * Nothing when everything is shown.
 */
export function pageNote(what: string, {shown, total, offset}: {shown: number; total: number; offset: number}): string | undefined {
  if (shown >= total && offset === 0) return undefined
  const next = offset + shown < total ? ` (--offset ${offset + shown} for the next page)` : ''
  return `${shown} of ${total} ${what} shown${next}`
}

/** One page of a listing, as `room list` and `user list` print it. */
export interface Listing<T> {
  what: string
  items: Iterable<T>
  total: number
  offset: number
  columns: string[]
  row(item: T): string[]
  /** What an empty page says: the store has none, or this page is past the end. */
  none: string
}

/**
 * Prints a page: with --json one array, streamed item by item; else a table.
 * Then the page note (printPageNote).
 */
export async function printListing<T>(out: {json: boolean; log(text: string): void}, listing: Listing<T>): Promise<void> {
  let shown = 0
  if (out.json) {
    await writeJsonArray(counted(listing.items, () => shown++))
  } else {
    const rows = [...listing.items].map((item) => listing.row(item))
    shown = rows.length
    out.log(formatTable(listing.columns, rows, listing.total > 0 ? `No ${listing.what} on this page.` : listing.none))
  }
  printPageNote(out, pageNote(listing.what, {shown, total: listing.total, offset: listing.offset}))
}

/** The page note after the listing for a reader; on stderr under --json, so that stdout stays one JSON document. */
export function printPageNote(out: {json: boolean; log(text: string): void}, note: string | undefined): void {
  if (note === undefined) return
  if (out.json) process.stderr.write(`${note}\n`)
  else out.log(note)
}
