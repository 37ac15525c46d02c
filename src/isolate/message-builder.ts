/**
 * IMessageBuilder (worker side): collects a message; IModifyCreator.finish sends
 * it whole to the main thread, which stores it. Every upstream method is here;
 * roomsim stores a message's room, sender and text, and keeps the rest on the
 * builder so the plugin reads back what it set.
 */
import type {Room, User} from '../domain/types.js'

type Block = Record<string, unknown>

/** A BlockBuilder (has getBlocks) or a list of blocks. */
const blocksOf = (blocks: unknown): Block[] =>
  blocks && typeof (blocks as {getBlocks?: unknown}).getBlocks === 'function' ? (blocks as {getBlocks(): Block[]}).getBlocks() : [...((blocks as Block[]) ?? [])]

export class MessageBuilder {
  /** RocketChatAssociationModel.MESSAGE */
  readonly kind = 'message'
  private message: Record<string, unknown> = {}

  constructor(data?: Record<string, unknown>) {
    if (data) this.setData(data)
  }

  setData(data: Record<string, unknown>): this {
    const {id: _ignored, ...rest} = data ?? {}
    this.message = structuredClone(rest)
    return this
  }

  setUpdateData(data: Record<string, unknown>, editor: User): this {
    this.message = structuredClone(data ?? {})
    this.message.editor = structuredClone(editor)
    return this
  }

  private set(key: string, value: unknown): this {
    this.message[key] = structuredClone(value)
    return this
  }

  private get<T>(key: string): T {
    return this.message[key] as T
  }

  setThreadId(threadId: string): this {
    return this.set('threadId', threadId)
  }

  getThreadId(): string {
    return this.get('threadId')
  }

  setRoom(room: Room): this {
    return this.set('room', room)
  }

  getRoom(): Room {
    return this.get('room')
  }

  setSender(sender: User): this {
    return this.set('sender', sender)
  }

  getSender(): User {
    return this.get('sender')
  }

  setText(text: string): this {
    return this.set('text', text)
  }

  getText(): string {
    return this.get('text')
  }

  setEmojiAvatar(emoji: string): this {
    return this.set('emoji', emoji)
  }

  getEmojiAvatar(): string {
    return this.get('emoji')
  }

  setAvatarUrl(avatarUrl: string): this {
    return this.set('avatarUrl', avatarUrl)
  }

  getAvatarUrl(): string {
    return this.get('avatarUrl')
  }

  setUsernameAlias(alias: string): this {
    return this.set('alias', alias)
  }

  getUsernameAlias(): string {
    return this.get('alias')
  }

  setEditor(user: User): this {
    return this.set('editor', user)
  }

  getEditor(): User {
    return this.get('editor')
  }

  setGroupable(groupable: boolean): this {
    return this.set('groupable', groupable)
  }

  getGroupable(): boolean {
    return this.get('groupable')
  }

  setParseUrls(parseUrls: boolean): this {
    return this.set('parseUrls', parseUrls)
  }

  getParseUrls(): boolean {
    return this.get('parseUrls')
  }

  addAttachment(attachment: unknown): this {
    return this.set('attachments', [...this.getAttachments(), attachment])
  }

  setAttachments(attachments: unknown[]): this {
    return this.set('attachments', attachments)
  }

  getAttachments(): unknown[] {
    return (this.get<unknown[] | undefined>('attachments') ?? []).slice()
  }

  replaceAttachment(position: number, attachment: unknown): this {
    const attachments = this.getAttachments()
    if (position < 0 || position >= attachments.length) throw new RangeError(`IMessageBuilder.replaceAttachment: no attachment at position ${position}`)
    attachments[position] = attachment
    return this.set('attachments', attachments)
  }

  removeAttachment(position: number): this {
    const attachments = this.getAttachments()
    if (position < 0 || position >= attachments.length) throw new RangeError(`IMessageBuilder.removeAttachment: no attachment at position ${position}`)
    attachments.splice(position, 1)
    return this.set('attachments', attachments)
  }

  addBlocks(blocks: unknown): this {
    return this.set('blocks', [...this.getBlocks(), ...blocksOf(blocks)])
  }

  setBlocks(blocks: unknown): this {
    return this.set('blocks', blocksOf(blocks))
  }

  getBlocks(): Block[] {
    return (this.get<Block[] | undefined>('blocks') ?? []).slice()
  }

  addCustomField(key: string, value: unknown): this {
    const fields = {...this.get<Record<string, unknown> | undefined>('customFields')}
    if (key in fields) throw new Error(`IMessageBuilder.addCustomField: the message already has a custom field "${key}"`)
    if (key.includes('.')) throw new Error(`IMessageBuilder.addCustomField: a custom field key cannot contain "." ("${key}")`)
    return this.set('customFields', {...fields, [key]: value})
  }

  getMessage(): Record<string, unknown> {
    return structuredClone(this.message)
  }
}
