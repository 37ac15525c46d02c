import {parse} from 'yaml'

/**
 * A strict-enough TAP 13/14 checker for tests: version line, one plan, test
 * points numbered 1..n matching the plan, directives, YAML diagnostic blocks
 * that parse, and subtests (4-space indented, introduced by `# Subtest:`)
 * checked the same way. Returns the problems found (none: well formed).
 */
export function tapProblems(text: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n')
  const problems: string[] = []
  if (!/^TAP version 1[34]$/.test(lines[0] ?? '')) problems.push(`line 1: expected "TAP version 14", got ${JSON.stringify(lines[0])}`)
  checkBlock(lines.slice(1), '', 2, problems)
  return problems
}

function checkBlock(lines: string[], indent: string, firstLine: number, problems: string[]): void {
  let plan: number | undefined
  let points = 0
  let bailed = false
  for (let i = 0; i < lines.length; i++) {
    const where = `line ${firstLine + i}`
    const raw = lines[i]!
    if (!raw.startsWith(indent)) {
      problems.push(`${where}: expected indentation ${JSON.stringify(indent)}`)
      continue
    }
    const line = raw.slice(indent.length)
    if (line === '' || bailed) continue
    if (line.startsWith('# Subtest')) {
      // The subtest's lines are indented 4 more, and its own test point follows them.
      let end = i + 1
      while (end < lines.length && lines[end]!.startsWith(`${indent}    `)) end++
      checkBlock(lines.slice(i + 1, end), `${indent}    `, firstLine + i + 1, problems)
      if (!/^(not )?ok /.test(lines[end]?.slice(indent.length) ?? '')) problems.push(`${where}: a subtest must be followed by its test point`)
      i = end - 1
      continue
    }
    if (line.startsWith('#')) continue
    const planMatch = /^1\.\.(\d+)(\s+#.*)?$/.exec(line)
    if (planMatch) {
      if (plan !== undefined) problems.push(`${where}: a second plan`)
      plan = Number(planMatch[1])
      continue
    }
    const point = /^(not ok|ok)\b(?: (\d+))?(?: - (.*))?$/.exec(line)
    if (point) {
      points++
      if (point[2] !== undefined && Number(point[2]) !== points) problems.push(`${where}: test point ${point[2]} out of order (expected ${points})`)
      const description = (point[3] ?? '').replace(/ # (SKIP|TODO)\b.*$/i, '').replace(/\\\\/g, '')
      if (/(^|[^\\])#/.test(description)) problems.push(`${where}: unescaped # in a description`)
      // A YAML diagnostic block may follow, indented two more.
      if (lines[i + 1] === `${indent}  ---`) {
        const end = lines.indexOf(`${indent}  ...`, i + 2)
        if (end < 0) {
          problems.push(`${where}: a YAML block that never ends`)
          return
        }
        const body = lines.slice(i + 2, end).map((entry) => entry.slice(indent.length + 2)).join('\n')
        try {
          parse(body)
        } catch (error) {
          problems.push(`${where}: YAML block does not parse: ${(error as Error).message.split('\n')[0]}`)
        }
        i = end
      }
      continue
    }
    if (/^Bail out!/.test(line)) {
      bailed = true
      continue
    }
    problems.push(`${where}: not a TAP line: ${JSON.stringify(line)}`)
  }
  if (plan === undefined) problems.push(`${indent ? 'subtest' : 'document'} at line ${firstLine}: no plan`)
  else if (!bailed && plan !== points) problems.push(`${indent ? 'subtest' : 'document'} at line ${firstLine}: plan says ${plan}, found ${points} test points`)
}
