#!/usr/bin/env node
// The isolates this command started last time start now, while oclif loads (src/host/prestart.ts).
import {prestart} from '../dist/host/prestart.js'

prestart(process.argv.slice(2))
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
