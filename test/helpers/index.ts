/**
 * The test helpers, in one place. Layers:
 * - `runCommand`: a command in this process (behaviour, output, exit code, --json).
 * - `runCli` / `runBounded`: the real binary (what only a process shows).
 * - `openTestEngine`: the engine itself, for the chain's rules.
 * - fixtures: temporary folders, plugin packages, configs, stores.
 */
export * from './fixtures.js'
export {runCommand, type InProcessOptions} from './in-process.js'
export * from './paths.js'
export * from './process.js'
export * from './test-engine.js'
