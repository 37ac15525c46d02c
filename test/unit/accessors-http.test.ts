import {expect} from 'chai'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {findStub, hostAllowed, requestUrl, stubResponse, urlMatches} from '../../src/host/http-stubs.js'
import type {HttpStub} from '../../src/config/schema.js'
import {effectsOf, probePlugin, probeReport, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'

const stub = (fields: Partial<HttpStub>): HttpStub => ({method: 'GET', url: 'https://api.example.com/*', status: 200, headers: {}, ...fields})

describe('HTTP stubs', () => {
  it('match a URL pattern where * stands for any text, query included', () => {
    expect(urlMatches('https://api.example.com/*', 'https://api.example.com/v1/users?id=3')).to.equal(true)
    expect(urlMatches('https://api.example.com/v1/*/posts', 'https://api.example.com/v1/7/posts')).to.equal(true)
    expect(urlMatches('https://api.example.com/v1/*/posts', 'https://api.example.com/v1/7/comments')).to.equal(false)
    expect(urlMatches('https://api.example.com/users', 'https://api.example.com/users/3')).to.equal(false)
    expect(urlMatches('https://*.example.com/x', 'https://eu.example.com/x')).to.equal(true)
    // Dots and other regular-expression characters are literal.
    expect(urlMatches('https://api.example.com/a.b', 'https://api-example.com/a-b')).to.equal(false)
  })

  it('without a "?" a pattern matches whatever the query string; with one, the query must match too', () => {
    expect(urlMatches('https://api.example.com/users', 'https://api.example.com/users?id=3')).to.equal(true)
    expect(urlMatches('https://api.example.com/users?id=3', 'https://api.example.com/users?id=3')).to.equal(true)
    expect(urlMatches('https://api.example.com/users?id=3', 'https://api.example.com/users?id=4')).to.equal(false)
  })

  it('match on the method too; the first match wins', () => {
    const stubs = [stub({method: 'POST', status: 201}), stub({status: 202}), stub({status: 203})]
    expect(findStub(stubs, 'POST', 'https://api.example.com/x')!.status).to.equal(201)
    expect(findStub(stubs, 'GET', 'https://api.example.com/x')!.status).to.equal(202)
    expect(findStub(stubs, 'DELETE', 'https://api.example.com/x')).to.equal(undefined)
    expect(findStub(stubs, 'GET', 'https://other.example.com/x')).to.equal(undefined)
  })

  it('answer in IHttpResponse shape: data as JSON content, or content parsed when it is JSON', () => {
    expect(stubResponse(stub({data: {ok: true}, headers: {'x-rate': '5'}}), 'GET', 'https://api.example.com/a')).to.deep.equal({
      url: 'https://api.example.com/a',
      method: 'get',
      statusCode: 200,
      headers: {'content-type': 'application/json', 'x-rate': '5'},
      content: '{"ok":true}',
      data: {ok: true},
    })
    expect(stubResponse(stub({status: 404, content: 'not here'}), 'DELETE', 'https://api.example.com/b')).to.deep.equal({
      url: 'https://api.example.com/b',
      method: 'delete',
      statusCode: 404,
      headers: {},
      content: 'not here',
    })
    expect(stubResponse(stub({content: '[1,2]'}), 'GET', 'u').data).to.deep.equal([1, 2])
  })

  it('build the request URL from params and query as upstream does', () => {
    expect(requestUrl('https://a.example/x', {})).to.equal('https://a.example/x')
    expect(requestUrl('https://a.example/x', {params: {q: 'a b', n: '1'}})).to.equal('https://a.example/x?q=a+b&n=1')
    expect(requestUrl('https://a.example/x?k=v', {query: 'z=1'})).to.equal('https://a.example/x?k=v&z=1')
  })

  it('let real requests through only to hosts config allows', () => {
    expect(hostAllowed(['api.example.com'], 'https://api.example.com/x')).to.equal(true)
    expect(hostAllowed(['api.example.com'], 'https://evil.example.com/x')).to.equal(false)
    expect(hostAllowed(['*.example.com'], 'https://eu.api.example.com/x')).to.equal(true)
    expect(hostAllowed(['localhost:8080'], 'http://localhost:8080/x')).to.equal(true)
    expect(hostAllowed(['localhost:8080'], 'http://localhost:9090/x')).to.equal(false)
    expect(hostAllowed([], 'https://api.example.com/x')).to.equal(false)
  })
})

describe('accessors: IHttp', () => {
  let box: Sandbox | undefined
  let server: Server | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    server = undefined
  })

  const caller = (calls: string) => ({
    caller: {
      source: probePlugin(
        'executePostRoomCreate',
        `async (room, read, http) => {
          const answers = []
          for (const call of [${calls}]) answers.push(await attempt(call))
          return answers
        }`,
      ),
    },
  })

  it('answers from config stubs (method and pattern), refuses the rest with how to stub it, and records every call', async () => {
    box = await sandbox(
      caller(`
        () => http.get('https://api.example.com/v1/weather', {params: {city: 'Oslo'}}),
        () => http.post('https://api.example.com/v1/events', {data: {n: 1}}),
        () => http.del('https://api.example.com/v1/events/1'),
        () => http.get('https://elsewhere.example.org/x?secret=1'),
        () => http.get('not a url'),
      `),
      {
        http: {
          stubs: [
            {method: 'GET', url: 'https://api.example.com/v1/weather*', status: 200, data: {sky: 'clear'}},
            {method: 'POST', url: 'https://api.example.com/v1/*', status: 201, headers: {location: '/v1/events/1'}, content: 'created'},
          ],
        },
      },
    )
    const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const [weather, posted, deleted, elsewhere, bad] = probeReport(outcome)
    expect(weather.ok).to.deep.equal({
      url: 'https://api.example.com/v1/weather?city=Oslo',
      method: 'get',
      statusCode: 200,
      headers: {'content-type': 'application/json'},
      content: '{"sky":"clear"}',
      data: {sky: 'clear'},
    })
    expect(posted.ok).to.deep.equal({url: 'https://api.example.com/v1/events', method: 'post', statusCode: 201, headers: {location: '/v1/events/1'}, content: 'created'})
    expect(deleted).to.deep.equal({
      name: 'HttpNotStubbedError',
      error:
        'IHttp.del https://api.example.com/v1/events/1: roomsim sends no network requests. Stub it (config http.stubs or the scenario\'s stubs), e.g. ' +
        '{method: DELETE, url: "https://api.example.com/v1/events/1*", status: 200, data: {}}, or let it through with config http.allow: [api.example.com]',
    })
    expect(elsewhere.error).to.match(/^IHttp\.get https:\/\/elsewhere\.example\.org\/x\?secret=1: roomsim sends no network requests\. .*url: "https:\/\/elsewhere\.example\.org\/x\*"/)
    expect(bad.error).to.equal('IHttp.get: "not a url" is not an absolute URL')
    expect(effectsOf(outcome)).to.deep.equal([
      {kind: 'http', plugin: 'caller', method: 'GET', url: 'https://api.example.com/v1/weather?city=Oslo', status: 200, stubbed: true},
      {kind: 'http', plugin: 'caller', method: 'POST', url: 'https://api.example.com/v1/events', status: 201, stubbed: true},
      {kind: 'http', plugin: 'caller', method: 'DELETE', url: 'https://api.example.com/v1/events/1', status: null, refused: true},
      {kind: 'http', plugin: 'caller', method: 'GET', url: 'https://elsewhere.example.org/x?secret=1', status: null, refused: true},
    ])
  })

  it('sends real requests to hosts config allows, and only to those', async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        response.setHeader('content-type', 'application/json')
        response.end(JSON.stringify({method: request.method, url: request.url, body, auth: request.headers.authorization ?? null}))
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    box = await sandbox(
      caller(`
        () => http.post('http://127.0.0.1:${port}/echo', {data: {n: 1}, auth: 'me:secret'}),
        () => http.get('http://localhost:${port}/echo'),
        () => http.get('http://127.0.0.1:1/closed'),
      `),
      {http: {allow: ['127.0.0.1']}},
    )
    const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const [echo, notAllowed, closed] = probeReport(outcome)
    expect(echo.ok).to.deep.include({statusCode: 200, method: 'post', data: {method: 'POST', url: '/echo', body: '{"n":1}', auth: `Basic ${Buffer.from('me:secret').toString('base64')}`}})
    expect(notAllowed.name).to.equal('HttpNotStubbedError')
    expect(closed.name).to.equal('HttpRequestError')
    expect(closed.error).to.match(/^IHttp\.get http:\/\/127\.0\.0\.1:1\/closed: the request failed: /)
    const effects = effectsOf(outcome)
    expect(effects[0]).to.deep.equal({kind: 'http', plugin: 'caller', method: 'POST', url: `http://127.0.0.1:${port}/echo`, status: 200, allowed: true})
    expect(effects[1]).to.deep.include({url: `http://localhost:${port}/echo`, refused: true})
    expect(effects[2]).to.deep.include({url: 'http://127.0.0.1:1/closed', status: null, allowed: true})
  })
})
