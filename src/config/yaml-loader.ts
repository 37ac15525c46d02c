/**
 * YAML config files are read with the same parser and alias cap as scenarios:
 * a 1 KB alias bomb must be refused in milliseconds, not expanded into
 * gigabytes. Errors become one line with the line and column.
 */
import {MAX_ALIAS_COUNT, MAX_FLOW_DEPTH, tooDeepAt} from '../input/yaml-limits.js'

/** A loader's error, carrying the file it was reading (cosmiconfig does not say which one failed while searching). */
export class ConfigFileError extends Error {
  constructor(
    readonly filepath: string,
    message: string,
  ) {
    super(message)
  }
}

export async function loadYamlConfig(filepath: string, content: string): Promise<unknown> {
  if (tooDeepAt(content) !== -1) throw new ConfigFileError(filepath, `brackets nest deeper than ${MAX_FLOW_DEPTH} levels`)
  const yaml = await import('yaml')
  const lineCounter = new yaml.LineCounter()
  const document = yaml.parseDocument(content, {lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error'})
  const [error] = document.errors
  if (error) {
    const {line, col} = lineCounter.linePos(error.pos[0])
    throw new ConfigFileError(filepath, `line ${Math.max(1, line)}, column ${Math.max(1, col)}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
  }
  try {
    return document.toJS({maxAliasCount: MAX_ALIAS_COUNT}) ?? undefined
  } catch (cause) {
    const message = (cause as Error).message
    if (/alias count/i.test(message)) throw new ConfigFileError(filepath, `aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an alias bomb?)`)
    if (/call stack/i.test(message)) throw new ConfigFileError(filepath, 'nested too deeply to read')
    throw new ConfigFileError(filepath, message.split('\n')[0])
  }
}
