// Kept for existing imports: the helpers live in ./index.ts.
export {mapLimit, STACK_LINE, storeFingerprint} from './fixtures.js'
