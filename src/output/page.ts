import {Flags} from '@oclif/core'

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
