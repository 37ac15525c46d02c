/**
 * Text from plugins (names, errors, logs, message text) as it may reach a
 * terminal: control characters — ANSI escapes, carriage returns, bells — are
 * shown as visible escapes (`\u001b`), never interpreted. Newlines stay where
 * the caller allows them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g
// eslint-disable-next-line no-control-regex
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g

const escape = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`

export const printable = (text: string, {newlines = false}: {newlines?: boolean} = {}): string => text.replace(newlines ? CONTROL : CONTROL_OR_NEWLINE, escape)
