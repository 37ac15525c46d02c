/**
 * Direct network access from plugin code follows the IHttp rule: refused
 * unless config allows the host. Node 20's permission model does not cover the
 * network, so this guard sits in the isolate's own process, in front of every
 * way out that Node offers (sockets — which http, https, tls and fetch all use
 * —, datagrams, listening, DNS). It is a fidelity guard: it keeps a plugin from
 * relying on what the server forbids; the security boundary is the process.
 */
import dgram from 'node:dgram'
import dns from 'node:dns'
import net from 'node:net'

const refusal = (target: string): Error => {
  const error = new Error(
    `direct network access to ${target} is refused: plugins reach the network through IHttp (stubs or http.allow), or allow the host for this plugin in config (http.allow or plugins[].permissions.network)`,
  )
  error.name = 'PermissionDenied'
  ;(error as NodeJS.ErrnoException).code = 'ERR_ACCESS_DENIED'
  return error
}

function hostAllowed(allow: readonly string[], host: string, port: number | undefined): boolean {
  const hostname = host.toLowerCase().replace(/^\[|\]$/g, '')
  return allow.some((entry) => {
    const rule = entry.toLowerCase()
    if (rule === '*') return true
    if (rule.startsWith('*.')) return hostname.endsWith(rule.slice(1))
    return rule === hostname || (port !== undefined && rule === `${hostname}:${port}`)
  })
}

/** Where a net.Socket#connect call wants to go, from its many argument shapes. */
function targetOf(args: unknown[]): {host: string; port: number | undefined} | {path: string} {
  let first = args[0]
  if (Array.isArray(first)) first = first[0]
  if (typeof first === 'object' && first !== null) {
    const options = first as {host?: unknown; port?: unknown; path?: unknown}
    if (typeof options.path === 'string') return {path: options.path}
    return {host: typeof options.host === 'string' ? options.host : 'localhost', port: options.port === undefined ? undefined : Number(options.port)}
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return {path: first}
  return {host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first)}
}

const lock = (target: object, name: string, value: unknown): void => {
  Object.defineProperty(target, name, {value, writable: false, configurable: false, enumerable: false})
}

export function guardNetwork(allow: readonly string[]): void {
  const connect = net.Socket.prototype.connect
  lock(net.Socket.prototype, 'connect', function (this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args)
    if ('path' in target) throw refusal(`the local socket ${target.path}`)
    if (!hostAllowed(allow, target.host, target.port)) throw refusal(`${target.host}${target.port === undefined ? '' : `:${target.port}`}`)
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args)
  })
  const fetch = globalThis.fetch
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    if (!hostAllowed(allow, url.hostname, url.port === '' ? undefined : Number(url.port))) throw refusal(url.host)
    return fetch(input, init)
  }
  lock(net.Server.prototype, 'listen', () => {
    throw refusal('a listening socket')
  })
  for (const method of ['send', 'connect', 'bind'] as const) {
    lock(dgram.Socket.prototype, method, () => {
      throw refusal('a UDP socket')
    })
  }
  const lookup = dns.lookup
  lock(dns, 'lookup', (host: string, ...rest: unknown[]) => {
    if (!hostAllowed(allow, host, undefined)) throw refusal(`a DNS lookup of ${host}`)
    return (lookup as (...a: unknown[]) => unknown)(host, ...rest)
  })
  for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveTxt', 'resolveMx', 'resolveNs', 'resolveCname', 'resolveSrv', 'reverse'] as const) {
    lock(dns, name, () => {
      throw refusal('a DNS query')
    })
    lock(dns.promises, name, async () => {
      throw refusal('a DNS query')
    })
  }
  const promisedLookup = dns.promises.lookup
  lock(dns.promises, 'lookup', async (host: string, ...rest: unknown[]) => {
    if (!hostAllowed(allow, host, undefined)) throw refusal(`a DNS lookup of ${host}`)
    return (promisedLookup as (...a: unknown[]) => unknown)(host, ...rest)
  })
}
