/**
 * HTTP stubs: method + URL pattern → a canned IHttpResponse. In a pattern `*`
 * matches any run of characters (slashes and query included); a pattern without
 * `?` also matches the URL whatever its query string. The first match wins.
 */
import type {HttpStub} from '../config/schema.js'
import {globMatch} from '../input/glob-match.js'

/** Longest URL a plugin may ask for: matching stays cheap on the main thread whatever it sends. */
export const MAX_URL_LENGTH = 16 * 1024

export function urlMatches(pattern: string, url: string): boolean {
  if (url.length > MAX_URL_LENGTH) return false
  if (globMatch(pattern, url)) return true
  const cut = url.search(/[?#]/)
  return !pattern.includes('?') && cut !== -1 && globMatch(pattern, url.slice(0, cut))
}

export const findStub = (stubs: readonly HttpStub[], method: string, url: string): HttpStub | undefined =>
  stubs.find((stub) => stub.method === method.toUpperCase() && urlMatches(stub.url, url))

/** The URL a request goes to: `params` and `query` appended, as upstream's IHttp does. */
export function requestUrl(url: string, options: {params?: Record<string, string>; query?: string}): string {
  const parts: string[] = []
  if (options.params && Object.keys(options.params).length > 0) parts.push(new URLSearchParams(options.params).toString())
  if (options.query) parts.push(options.query.replace(/^\?/, ''))
  if (parts.length === 0) return url
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export interface HttpResponse {
  url: string
  /** RequestMethod: lower case, as upstream. */
  method: string
  statusCode: number
  headers: Record<string, string>
  content?: string
  data?: unknown
}

/** A stub's answer in IHttpResponse shape: `data` is sent as JSON content, `content` is parsed as JSON when it is JSON. */
export function stubResponse(stub: HttpStub, method: string, url: string): HttpResponse {
  const hasType = Object.keys(stub.headers).some((name) => name.toLowerCase() === 'content-type')
  const headers = stub.data !== undefined && !hasType ? {'content-type': 'application/json', ...stub.headers} : {...stub.headers}
  const content = stub.content ?? (stub.data === undefined ? undefined : JSON.stringify(stub.data))
  const data = stub.data === undefined ? parseJson(stub.content) : structuredClone(stub.data)
  return {
    url,
    method: method.toLowerCase(),
    statusCode: stub.status,
    headers,
    ...(content === undefined ? {} : {content}),
    ...(data === undefined ? {} : {data}),
  }
}

/** Whether config `http.allow` lets real requests go to this URL's host (`example.com`, `host:8080`, `*.example.com`). */
export function hostAllowed(allow: readonly string[], url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  const hostname = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const host = parsed.host.toLowerCase()
  return allow.some((entry) => {
    const rule = entry.toLowerCase()
    if (rule.startsWith('*.')) return hostname.endsWith(rule.slice(1))
    return rule === hostname || rule === host
  })
}
