/** A plain left-aligned table for list commands; an empty list prints a hint instead. */
export function formatTable(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return empty
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  return [line(headers.map((header) => header.toUpperCase())), ...rows.map(line)].join('\n')
}
