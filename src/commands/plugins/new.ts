import {Args, Flags} from '@oclif/core'
import {isAbsolute, relative} from 'node:path'

import {BaseCommand} from '../../base-command.js'
import {type Scaffold, scaffoldPlugin} from '../../plugins/scaffold.js'

export default class PluginsNew extends BaseCommand<typeof PluginsNew> {
  static override summary = 'Create a TypeScript plugin package: a pre and a post handler, a README and a scenario.'
  static override description = 'The handlers are typed from the @rocket.chat/apps-engine definitions (type imports only), so the package runs as it is: link it with "roomsim plugins link" and its hooks fire on the next room command, no build and no npm install needed.'
  static override examples = ['<%= config.bin %> plugins new my-plugin && <%= config.bin %> plugins link ./my-plugin && <%= config.bin %> room create general']

  static override args = {name: Args.string({description: 'Package name of the new plugin.', required: true})}
  static override flags = {dir: Flags.string({summary: 'Folder to create it in (default: ./NAME).'})}

  async run(): Promise<Scaffold> {
    const created = scaffoldPlugin(this.args.name, process.cwd(), this.flags.dir)
    const relativeFolder = relative(process.cwd(), created.folder) || '.'
    const folder = relativeFolder.startsWith('.') || isAbsolute(relativeFolder) ? relativeFolder : `./${relativeFolder}`
    this.log(`created ${folder}/: ${created.files.join(', ')}`)
    this.log(`\nnext:\n  roomsim plugins link ${folder}\n  roomsim room create general --verbose    # its hooks fire\n  roomsim room create forbidden-talk       # prevented by ${created.name}`)
    return created
  }
}
