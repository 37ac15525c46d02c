import {BaseCommand} from '../base-command.js'

export interface VersionInfo {
  name: string
  version: string
  node: string
  platform: string
  arch: string
}

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Show the roomsim version, and the Node.js and platform it runs on (also: roomsim -v, roomsim --version).'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json']

  async run(): Promise<VersionInfo> {
    const info = {name: this.config.name, version: this.config.version, node: process.versions.node, platform: process.platform, arch: process.arch}
    this.log(this.config.userAgent)
    return info
  }
}
