/**
 * `*` matches any run of characters, everything else itself. Not a regular
 * expression: `a*a*a*…` patterns against long URLs (both chosen by config or
 * plugins) would backtrack polynomially in a regex. Each literal piece between
 * stars is found once, leftmost, left to right, which is enough for `*` alone
 * and keeps the time linear in the text for a given pattern.
 */
export function globMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*')
  const first = pieces[0]!
  if (pieces.length === 1) return text === first
  const last = pieces.at(-1)!
  if (!text.startsWith(first) || text.length < first.length + last.length) return false
  let at = first.length
  const end = text.length - last.length
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue
    const found = text.indexOf(piece, at)
    if (found === -1 || found + piece.length > end) return false
    at = found + piece.length
  }
  return text.endsWith(last)
}
