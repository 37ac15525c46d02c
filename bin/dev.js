#!/usr/bin/env node
// Runs the TypeScript sources directly (no build), for working on roomsim itself.
// tsx is registered from here, not with `--import tsx`, so it resolves from the project from any folder.
import {register} from 'tsx/esm/api'

register()
const {execute} = await import('@oclif/core')
await execute({development: true, dir: import.meta.url})
