// Kept for existing imports: the helpers live in ./index.ts.
import {writeConfigFile} from './fixtures.js'

export {BROKEN, FIXTURES, HOSTILE, WITNESS} from './paths.js'
export {runBounded} from './process.js'
export {inspectStore, prefixDependencies, writePluginPackage as writePlugin} from './fixtures.js'

export const writeConfig = (dir: string, config: unknown): void => void writeConfigFile(dir, config)
