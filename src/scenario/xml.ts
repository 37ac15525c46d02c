/**
 * Just enough XML for JUnit reports: escaping for writing them, and a small
 * strict parser (well-formedness, entities, CDATA, comments) for merging the
 * reports of shards. Not a general XML library: no DTDs, no namespaces.
 */

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
}
export type XmlNode = XmlElement | string

/** Characters XML 1.0 does not allow at all, even escaped. */
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

const clean = (text: string): string => text.replace(INVALID_CHARS, '\uFFFD')

export const escapeText = (text: string): string => clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export const escapeAttribute = (text: string): string =>
  escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${message}`)
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y
const ENTITIES: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"}

/** Parses a whole document; throws XmlError (with line:column) on anything not well formed. */
export function parseXml(source: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '')
  let pos = 0

  const fail = (message: string, at = pos): never => {
    const before = text.slice(0, at)
    const line = before.split('\n').length
    throw new XmlError(message, line, at - before.lastIndexOf('\n'))
  }
  const invalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.exec(text)
  if (invalid) fail(`character U+${invalid[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML`, invalid.index)

  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++
  }
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) fail(`expected "${literal}"`)
    pos += literal.length
  }
  const name = (): string => {
    NAME.lastIndex = pos
    const match = NAME.exec(text)
    if (!match) fail('expected a name')
    pos += match![0].length
    return match![0]
  }
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) fail('"&" must start an entity such as &amp;', at)
      if (ref in ENTITIES) return ENTITIES[ref]!
      const code = /^#x([0-9a-fA-F]+)$/.exec(ref) ? Number.parseInt(ref.slice(2), 16) : /^#(\d+)$/.exec(ref) ? Number(ref.slice(1)) : undefined
      if (code === undefined || code > 0x10ffff) return fail(`unknown entity &${ref};`, at)
      return String.fromCodePoint(code)
    })
  /** Comments and processing instructions, where they may appear. */
  const misc = (): boolean => {
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4)
      if (end < 0) fail('unterminated comment')
      if (text.slice(pos + 4, end).includes('--')) fail('"--" is not allowed inside a comment')
      pos = end + 3
      return true
    }
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2)
      if (end < 0) fail('unterminated processing instruction')
      pos = end + 2
      return true
    }
    return false
  }

  const element = (): XmlElement => {
    expect('<')
    const tag = name()
    const attributes: Record<string, string> = {}
    for (;;) {
      const hadSpace = /\s/.test(text[pos] ?? '')
      skipSpace()
      if (text.startsWith('/>', pos)) {
        pos += 2
        return {name: tag, attributes, children: []}
      }
      if (text[pos] === '>') {
        pos++
        break
      }
      if (!hadSpace) fail('expected a space before an attribute')
      const attribute = name()
      skipSpace()
      expect('=')
      skipSpace()
      const quote = text[pos]
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value')
      const end = text.indexOf(quote!, pos + 1)
      if (end < 0) fail('unterminated attribute value')
      const raw = text.slice(pos + 1, end)
      if (raw.includes('<')) fail('"<" is not allowed in an attribute value', pos + 1 + raw.indexOf('<'))
      if (attribute in attributes) fail(`attribute ${attribute} is given twice`)
      attributes[attribute] = decode(raw, pos + 1)
      pos = end + 1
    }
    const children: XmlNode[] = []
    for (;;) {
      if (pos >= text.length) fail(`element <${tag}> is not closed`)
      if (text.startsWith('</', pos)) {
        pos += 2
        const closing = name()
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`)
        skipSpace()
        expect('>')
        return {name: tag, attributes, children}
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos)
        if (end < 0) fail('unterminated CDATA section')
        children.push(text.slice(pos + 9, end))
        pos = end + 3
        continue
      }
      if (misc()) continue
      if (text[pos] === '<') {
        children.push(element())
        continue
      }
      const next = text.indexOf('<', pos)
      const raw = text.slice(pos, next < 0 ? text.length : next)
      if (raw.includes(']]>')) fail('"]]>" is not allowed in text', pos + raw.indexOf(']]>'))
      children.push(decode(raw, pos))
      pos += raw.length
    }
  }

  skipSpace()
  while (misc()) skipSpace()
  if (text.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE declarations are not supported')
  if (text[pos] !== '<') fail('expected the root element')
  const root = element()
  skipSpace()
  while (misc()) skipSpace()
  if (pos < text.length) fail('content after the root element')
  return root
}

/** Writes an element back, indented; text children keep their exact content. */
export function serializeXml(element: XmlElement, indent = ''): string {
  const attributes = Object.entries(element.attributes)
    .map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`)
    .join('')
  const children = element.children.filter((child) => typeof child !== 'string' || child.trim() !== '')
  if (children.length === 0) return `${indent}<${element.name}${attributes}/>`
  if (children.every((child) => typeof child === 'string')) return `${indent}<${element.name}${attributes}>${escapeText(children.join(''))}</${element.name}>`
  const inner = children.map((child) => (typeof child === 'string' ? `${indent}  ${escapeText(child.trim())}` : serializeXml(child, `${indent}  `)))
  return [`${indent}<${element.name}${attributes}>`, ...inner, `${indent}</${element.name}>`].join('\n')
}

export const childElements = (element: XmlElement, name?: string): XmlElement[] =>
  element.children.filter((child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name))
