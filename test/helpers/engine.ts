// Kept for existing imports: the helpers live in ./index.ts.
export {OWN_EXCEPTIONS, seedRoom, type TestPlugin, writePluginsConfig as writeConfig, writeTestPlugin as writePlugin} from './fixtures.js'
export {calls, openTestEngine, reports, type TestEngine} from './test-engine.js'
