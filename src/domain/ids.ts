import {randomBytes} from 'node:crypto'

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz'

/** A 17-character random id, the shape Rocket.Chat gives rooms and users. */
export function newId(): string {
  const bytes = randomBytes(17)
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}
