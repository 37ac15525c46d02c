/**
 * Cuts a scenario file into its steps, line by line, so that a long file can be
 * read one step at a time: parsing a whole 10,000-step document at once holds
 * every node of it in memory (hundreds of MB) and takes longer than the steps.
 *
 * Only a plain shape is cut: one document whose top-level `steps:` key is
 * followed by a block list, each step's lines holding no anchor, alias, tag or
 * tab, and no flow collection or quoted text that runs past its line. Anything
 * else answers undefined and the file is read whole, as before; so does any
 * problem found later (parse.ts), so every message still comes from the whole
 * document.
 */

export interface StepSplit {
  /** The file without the steps' lines: the rest of the document, which YAML reads. */
  header: string
  /** The file's line (1-based) of a line of the header. */
  fileLine(headerLine: number): number
  /** Each step's lines: from `start` (0-based line) up to `end`, exclusive. */
  steps: {start: number; end: number}[]
  lines: string[]
}

const STEPS_KEY = /^steps:[ ]*(#.*)?\r?$/
export const BLANK_OR_COMMENT = /^[ ]*(#.*)?\r?$/
/** A document marker or directive: more than one document, or YAML's own settings. */
const DOCUMENT_MARKERS = /^(---|\.\.\.|%)/m
/** An anchor (&), alias (*) or tag (!) where a node may start. */
const NODE_PROPERTY = /(^|[\s[{,])[&*!]/
const indentOf = (line: string): number => line.length - line.trimStart().length
const isItemStart = (line: string, indent: number): boolean => line[indent] === '-' && (line.length === indent + 1 || line[indent + 1] === ' ' || line[indent + 1] === '\r')

export function splitSteps(text: string): StepSplit | undefined {
  if (DOCUMENT_MARKERS.test(text)) return undefined
  const lines = text.split('\n')
  const keyLines = lines.flatMap((line, index) => (STEPS_KEY.test(line) ? [index] : []))
  if (keyLines.length !== 1) return undefined
  const key = keyLines[0]!
  let first = key + 1
  while (first < lines.length && BLANK_OR_COMMENT.test(lines[first]!)) first++
  if (first >= lines.length) return undefined
  const indent = indentOf(lines[first]!)
  if (!isItemStart(lines[first]!, indent)) return undefined

  const steps: StepSplit['steps'] = []
  let end = first
  for (; end < lines.length; end++) {
    const line = lines[end]!
    if (BLANK_OR_COMMENT.test(line)) continue
    const at = indentOf(line)
    if (at < indent || (at === indent && !isItemStart(line, indent))) {
      // Back at the top level: the steps are over. Anything else at their indent is not a plain list.
      if (at === 0) break
      return undefined
    }
    if (line.includes('\t') || NODE_PROPERTY.test(line) || !closedWithin(line)) return undefined
    if (at === indent) {
      if (steps.length > 0) steps.at(-1)!.end = end
      steps.push({start: end, end: lines.length})
    }
  }
  steps.at(-1)!.end = end
  // Left out, not blanked: YAML would still lex every blank line of a long file.
  const header = [...lines.slice(0, first), ...lines.slice(end)].join('\n')
  return {header, fileLine: (line) => (line > first ? line + end - first : line), steps, lines}
}

/**
 * Whether every bracket and quote opened on this line closes on it, comments
 * skipped. A quote opens a scalar only at its start (after a space, a bracket,
 * a comma or a colon); one inside a word (`don't`) is part of plain text.
 */
export function closedWithin(line: string): boolean {
  let depth = 0
  let quote: string | undefined
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!
    if (quote === '"') {
      if (char === '\\') index++
      else if (char === '"') quote = undefined
      continue
    }
    if (quote === "'") {
      if (char === "'") {
        if (line[index + 1] === "'") index++
        else quote = undefined
      }
      continue
    }
    const before = index === 0 ? ' ' : line[index - 1]!
    if (char === '"' || char === "'") {
      if (/[\s[{,:]/.test(before)) quote = char
    } else if (char === '#' && /\s/.test(before)) break
    else if (char === '[' || char === '{') depth++
    else if (char === ']' || char === '}') {
      if (--depth < 0) return false
    }
  }
  return depth === 0 && quote === undefined
}
