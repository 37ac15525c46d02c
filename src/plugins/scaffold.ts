/**
 * `plugins new NAME`: a TypeScript plugin package that works unchanged with
 * `plugins link` (no build step, no npm install needed to run it: the
 * Apps-Engine definitions are imported as types only).
 */
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {RoomsimError} from '../errors.js'

/** npm's rule for new package names (lower case, URL-safe, optionally scoped). */
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/

export interface Scaffold {
  name: string
  folder: string
  files: string[]
}

const className = (name: string): string =>
  name
    .replace(/^@[^/]+\//, '')
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')
    .replace(/^(?=\d)/, 'Plugin') || 'Plugin'

function files(name: string): Record<string, string> {
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
  return {
    'package.json': json({
      name,
      version: '0.1.0',
      description: 'A roomsim plugin: Rocket.Chat Apps-Engine room event handlers',
      type: 'module',
      main: 'src/index.ts',
      files: ['src', 'README.md'],
      license: 'MIT',
      scripts: {typecheck: 'tsc --noEmit'},
      roomsimPlugin: {settings: {blockedWords: ['forbidden']}},
      devDependencies: {'@rocket.chat/apps-engine': '^1.66.0', typescript: '^5.9.0'},
    }),
    'tsconfig.json': json({
      compilerOptions: {target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: []},
      include: ['src'],
    }),
    '.gitignore': 'node_modules/\n',
    'src/index.ts': `import type {IHttp, ILogger, IModify, IPersistence, IRead} from '@rocket.chat/apps-engine/definition/accessors/index.js'
import type {IPostRoomCreate, IPreRoomCreatePrevent, IRoom} from '@rocket.chat/apps-engine/definition/rooms/index.js'

/**
 * ${name}: room event handlers. roomsim runs a method named execute<Interface>
 * at that interface's stage of a room action; the types come from the
 * Apps-Engine definitions, so this class also fits a Rocket.Chat app.
 */
export default class ${className(name)} implements IPreRoomCreatePrevent, IPostRoomCreate {
  /** Provided by roomsim (an Apps-Engine App has its own): lines show with --verbose and in the log. */
  declare readonly getLogger: () => Pick<ILogger, 'debug' | 'info' | 'warn' | 'error'>

  /** Pre stage (prevent): returning true stops the room from being created. */
  async executePreRoomCreatePrevent(room: IRoom, read: IRead, _http: IHttp, _persistence: IPersistence): Promise<boolean> {
    const blocked: string[] = (await read.getEnvironmentReader().getSettings().getValueById('blockedWords')) ?? []
    return blocked.some((word) => room.slugifiedName.includes(word))
  }

  /** Post stage: runs after the room is committed and sees it as stored; it cannot undo the action. */
  async executePostRoomCreate(room: IRoom, _read: IRead, _http: IHttp, _persistence: IPersistence, _modify: IModify): Promise<void> {
    this.getLogger().info(\`#\${room.slugifiedName} was created by \${room.creator.username}\`)
  }
}
`,
    'scenario.yaml': `# Run with: roomsim scenario run scenario.yaml
name: ${name} prevents rooms with a blocked word
plugins:
  - path: .
    settings: { blockedWords: [forbidden] }
steps:
  - create: { room: general, by: alice }
    expect: completed
  - create: { room: forbidden-talk, by: alice }
    expect: { status: prevented, prevented: { plugin: ${name} } }
`,
    'README.md': `# ${name}

A roomsim plugin: Rocket.Chat Apps-Engine
room event handlers you can run on your own machine.

- \`src/index.ts\` — the handlers. \`executePreRoomCreatePrevent\` (a pre stage)
  prevents rooms whose name contains a blocked word; \`executePostRoomCreate\`
  (a post stage) logs every new room. Add a method named \`execute<Interface>\`
  for any other room interface (\`executePreRoomUserJoined\`, …).
- \`package.json\` — \`"roomsimPlugin": {"settings": …}\` declares the settings and their
  defaults (a plugin's manifest, never read as project config, so roomsim works inside this folder too); handlers read them with \`read.getEnvironmentReader().getSettings()\`.
- \`scenario.yaml\` — a scripted check: \`roomsim scenario run scenario.yaml\`.

## Try it

\`\`\`sh
roomsim plugins link ./${name.replace(/^@[^/]+\//, '')}   # registered in place: edits show on the next run
roomsim room create general --verbose      # its hooks fire: prevent → allowed, post → done
roomsim room create forbidden-talk         # prevented by ${name} (exit 3)
roomsim plugins info ${name}               # interfaces, settings, defaults
\`\`\`

TypeScript runs without a build step. For editor types and \`npm run typecheck\`,
run \`npm install\` here once (it only fetches the Apps-Engine definitions).
Settings per project go in the roomsim config:

\`\`\`yaml
plugins:
  - package: ${name}
    settings: { blockedWords: [forbidden, spam] }
\`\`\`

When it is ready: \`npm pack\`, then \`roomsim plugins install ./${name.replace(/^@/, '').replace('/', '-')}-0.1.0.tgz\`.
`,
  }
}

/** Writes the package into `folder` (default: ./NAME without its scope), which must not exist or be empty. */
export function scaffoldPlugin(name: string, cwd: string, folder?: string): Scaffold {
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw new RoomsimError('INVALID_INPUT', `"${name}" is not a valid npm package name (lower case letters, digits, - . _ ~, optionally @scope/)`)
  }
  const target = resolve(cwd, folder ?? name.replace(/^@[^/]+\//, ''))
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new RoomsimError('BAD_FILE', `${target} already exists and is not empty; choose another name or --dir`)
  }
  const written = files(name)
  for (const [file, content] of Object.entries(written)) {
    mkdirSync(dirname(join(target, file)), {recursive: true})
    writeFileSync(join(target, file), content)
  }
  return {name, folder: target, files: Object.keys(written)}
}
