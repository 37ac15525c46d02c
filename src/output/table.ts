import {printable} from './printable.js'

export interface TableOptions {
  /** The widest the table may be (a terminal's columns); wider cells of `shrink` columns are cut with "…". */
  maxWidth?: number
  /** Columns that may be cut to fit, by index. */
  shrink?: number[]
  /** Of those, the ones cut at the start (paths: their end says most). */
  cutStart?: number[]
}

/** The narrowest a column is cut to. */
const MIN_COLUMN = 8

const cut = (cell: string, width: number, atStart: boolean): string =>
  cell.length <= width ? cell : atStart ? `…${cell.slice(cell.length - width + 1)}` : `${cell.slice(0, Math.max(0, width - 1))}…`

/** A plain left-aligned table for list commands; an empty list prints a hint instead. Cells are shown printable. */
export function formatTable(headers: string[], rows: string[][], empty: string, {maxWidth, shrink = [], cutStart = []}: TableOptions = {}): string {
  if (rows.length === 0) return empty
  const cells = rows.map((row) => row.map(printable))
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => (row[column] ?? '').length)))
  if (maxWidth !== undefined) {
    const total = () => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1)
    // Take from the widest cuttable column, down to the next widest, until the table fits or nothing can give.
    while (total() > maxWidth) {
      const [widest, next] = shrink.filter((column) => widths[column]! > MIN_COLUMN).sort((a, b) => widths[b]! - widths[a]!)
      if (widest === undefined) break
      const floor = Math.max(MIN_COLUMN, next === undefined ? 0 : widths[next]! - 1)
      widths[widest] = Math.max(floor, widths[widest]! - (total() - maxWidth))
    }
  }
  const line = (row: string[]) => row.map((cell, column) => cut(cell, widths[column]!, cutStart.includes(column)).padEnd(widths[column]!)).join('  ').trimEnd()
  return [line(headers.map((header) => header.toUpperCase())), ...cells.map(line)].join('\n')
}

/** The width human output may take: the terminal's columns, or none when stdout is not a terminal (piped text is never cut). */
export const terminalWidth = (stream: NodeJS.WriteStream = process.stdout): number | undefined => (stream.isTTY && stream.columns ? stream.columns : undefined)
