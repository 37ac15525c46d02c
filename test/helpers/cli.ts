// Kept for existing imports: the helpers live in ./index.ts.
export {BIN, EXAMPLE_PLUGINS, ROOT} from './paths.js'
export {type CliResult, runCli} from './process.js'
export {tempDir} from './fixtures.js'
export {runCommand} from './in-process.js'
