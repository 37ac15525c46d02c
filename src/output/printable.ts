/**
 * Text from plugins and files reaches the terminal only through here: control
 * characters (an escape sequence in an error message could clear the screen,
 * move the cursor or hide text) are shown as `\x1b`, never sent raw.
 */
const INLINE = /[\u0000-\u001f\u007f-\u009f]/g
const MULTILINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g

const escape = (char: string): string => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`

/** For text inside a line: every control character escaped, newlines and tabs too. */
export const printable = (value: unknown): string => String(value ?? '').replace(INLINE, escape)

/** For text that may span lines: newlines kept, every other control character escaped. */
export const printableLines = (value: unknown): string => String(value ?? '').replace(MULTILINE, escape)
