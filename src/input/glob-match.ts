/**
 * `*` matches any run of characters, everything else itself. A loop rather than
 * a regular expression: `a*a*a*…` patterns against long URLs (both chosen by
 * config or plugins) would backtrack polynomially in a regex; this takes at most
 * pattern × text steps.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let resume = 0
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++
      t++
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++
      resume = t
    } else if (star !== -1) {
      p = star + 1
      t = ++resume
    } else {
      return false
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}
