#!/usr/bin/env node
// The isolates this command started last time start now, while oclif loads (src/host/prestart.ts).
import {prestart} from '../dist/host/prestart.js'

prestart(process.argv.slice(2))
// @oclif/core checks its own, looser engines range with semver on import (about 20 ms of every start); roomsim checks its own.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) process.emitWarning(`roomsim needs Node.js 20.19 or later; this is ${process.versions.node}`)
const quiet = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined
if (quiet) process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
const {execute} = await import('@oclif/core')
if (quiet) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
await execute({dir: import.meta.url})
