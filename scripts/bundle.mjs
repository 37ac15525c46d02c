// npm run build, after tsc: every module oclif or a user loads from dist/ (commands, hooks, help, the
// public API, bin/run.js's prestart) becomes one ES module bundle of roomsim's code, with modules shared
// between them in dist/chunks/ (one instance each) and packages left to node_modules. A command then loads
// a few files instead of ~60: about 20 ms less start-up (docs/performance.md).
import {build} from 'esbuild'
import {globSync} from 'tinyglobby'

const entryPoints = globSync(['src/commands/**/*.ts', 'src/hooks/*.ts', 'src/help.ts', 'src/index.ts', 'src/host/prestart.ts'])
await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
