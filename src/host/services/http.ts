/**
 * IHttp. roomsim sends nothing to the network by default: a request is answered
 * by the first matching stub (a scenario's, then config `http.stubs`), sent for
 * real only when config `http.allow` lists its host, and refused otherwise with
 * an error that says how to stub it. Every call is an effect of the action.
 */
import type {HttpEffect} from '../../domain/types.js'
import {findStub, hostAllowed, type HttpResponse, parseJson, requestUrl, stubResponse} from '../http-stubs.js'
import {describeValue, isObject, namedError, requireContext, type CallScope, type ServiceTable} from './scope.js'

/** IHttp's method names for the HTTP methods. */
const VERBS: Record<string, string> = {GET: 'get', POST: 'post', PUT: 'put', DELETE: 'del', PATCH: 'patch'}

interface RequestOptions {
  content?: string
  data?: unknown
  query?: string
  params?: Record<string, string>
  auth?: string
  headers?: Record<string, string>
  timeout?: number
}

function checkRequest(method: string, url: unknown, options: unknown): {url: string; options: RequestOptions} {
  if (typeof url !== 'string') throw new TypeError(`${method}: url must be a string, got ${describeValue(url)}`)
  try {
    new URL(url)
  } catch {
    throw new TypeError(`${method}: "${url}" is not an absolute URL`)
  }
  if (options !== undefined && options !== null && !isObject(options)) throw new TypeError(`${method}: options must be an object, got ${describeValue(options)}`)
  return {url, options: (options ?? {}) as RequestOptions}
}

/** A real request, for hosts config allows. */
async function send(method: string, url: string, options: RequestOptions, defaultTimeoutMs: number): Promise<HttpResponse> {
  const headers: Record<string, string> = {...options.headers}
  let body: string | undefined
  if (options.content !== undefined) body = options.content
  else if (options.data !== undefined) {
    body = JSON.stringify(options.data)
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  }
  if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`
  const response = await fetch(url, {
    method,
    headers,
    ...(body === undefined || method === 'GET' ? {} : {body}),
    signal: AbortSignal.timeout(options.timeout ?? defaultTimeoutMs),
  })
  const content = await response.text()
  const data = parseJson(content)
  return {
    url,
    method: method.toLowerCase(),
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    content,
    ...(data === undefined ? {} : {data}),
  }
}

async function request(scope: CallScope, httpMethod: unknown, rawUrl: unknown, rawOptions: unknown): Promise<HttpResponse> {
  const verb = typeof httpMethod === 'string' ? VERBS[httpMethod] : undefined
  if (!verb) throw new TypeError(`IHttp: unknown HTTP method ${describeValue(httpMethod)}`)
  const method = httpMethod as string
  const name = `IHttp.${verb}`
  const context = requireContext(scope, name)
  const checked = checkRequest(name, rawUrl, rawOptions)
  const url = requestUrl(checked.url, checked.options)
  const {engine, plugin} = scope
  const record = (effect: Omit<HttpEffect, 'kind' | 'plugin' | 'method' | 'url'>) => context.effects.push({kind: 'http', plugin, method, url, ...effect})

  const stub = findStub(engine.config.http.stubs, method, url)
  if (stub) {
    record({status: stub.status, stubbed: true})
    return stubResponse(stub, method, url)
  }
  if (hostAllowed(engine.config.http.allow, url)) {
    try {
      const response = await send(method, url, checked.options, engine.config.hooks.timeoutMs.post)
      record({status: response.statusCode, allowed: true})
      return response
    } catch (error) {
      const reason = (error as Error).message
      record({status: null, allowed: true, error: reason})
      throw namedError('HttpRequestError', `${name} ${url}: the request failed: ${reason}`)
    }
  }
  const host = new URL(url).host
  record({status: null, refused: true})
  throw namedError(
    'HttpNotStubbedError',
    `${name} ${url}: roomsim sends no network requests. Stub it (config http.stubs or the scenario's stubs), e.g. ` +
      `{method: ${method}, url: "${url.replace(/[?#].*$/s, '')}*", status: 200, data: {}}, or let it through with config http.allow: [${host}]`,
  )
}

export const HTTP_SERVICES = {
  'http.request': (scope, method: unknown, url: unknown, options: unknown) => request(scope, method, url, options),
} satisfies Partial<ServiceTable>
