/**
 * Expected vs actual as a line diff. Values are laid out one line per list
 * item or key (YAML-like, scalars in JSON), so a diff shows exactly the items
 * that differ without the comma noise of JSON.
 */
import {isRegexText} from './match.js'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Scalars print as JSON, except /regex/ patterns, which print as written. */
const scalar = (value: unknown): string => (value === undefined ? '(nothing)' : isRegexText(value) ? value : JSON.stringify(value))

/** One line per list item or key. */
export function layout(value: unknown, indent = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`]
    return value.flatMap((item) => {
      const [first, ...rest] = layout(item, `${indent}  `)
      return [`${indent}- ${first!.slice(indent.length + 2)}`, ...rest]
    })
  }
  if (isObject(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) return [`${indent}{}`]
    return entries.flatMap(([key, item]) => {
      const name = /^[\w.-]+$/.test(key) ? key : JSON.stringify(key)
      const nested = (Array.isArray(item) && item.length > 0) || (isObject(item) && Object.keys(item).length > 0)
      return nested ? [`${indent}${name}:`, ...layout(item, `${indent}  `)] : [`${indent}${name}: ${layout(item)[0]}`]
    })
  }
  return [`${indent}${scalar(value)}`]
}

type Edit = {op: ' ' | '-' | '+'; line: string}

/** A longest-common-subsequence diff of two line lists. */
export function diffLines(expected: string[], actual: string[]): Edit[] {
  const n = expected.length
  const m = actual.length
  const lcs: number[][] = Array.from({length: n + 1}, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const edits: Edit[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (expected[i] === actual[j]) {
      edits.push({op: ' ', line: expected[i++]!})
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      edits.push({op: '-', line: expected[i++]!})
    } else {
      edits.push({op: '+', line: actual[j++]!})
    }
  }
  while (i < n) edits.push({op: '-', line: expected[i++]!})
  while (j < m) edits.push({op: '+', line: actual[j++]!})
  return edits
}

/** How many unchanged lines to keep around each change. */
const CONTEXT = 3

/**
 * A unified-style diff: `- expected` and `+ actual` lines, with a little
 * context and `…` where long unchanged runs were left out.
 */
export function renderDiff(expected: unknown, actual: unknown): string {
  const edits = diffLines(layout(expected), layout(actual))
  const keep = edits.map(() => false)
  edits.forEach((edit, index) => {
    if (edit.op === ' ') return
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(edits.length - 1, index + CONTEXT); k++) keep[k] = true
  })
  const lines = ['- expected', '+ actual', '']
  let skipped = false
  edits.forEach((edit, index) => {
    if (!keep[index]) {
      if (!skipped) lines.push('  …')
      skipped = true
      return
    }
    skipped = false
    lines.push(`${edit.op} ${edit.line}`)
  })
  return lines.join('\n')
}

/** Whether a value is worth a diff (structured), or reads fine inline. */
export const isStructured = (value: unknown): boolean => typeof value === 'object' && value !== null
