import {expect} from 'chai'

import {layout, renderDiff} from '../../src/scenario/diff.js'
import {containsText, matches, projectActual, regexProblem, resolveExpected} from '../../src/scenario/match.js'

describe('scenario expectations: matching and diffs', () => {
  it('compares strings exactly and /regex/ strings as regular expressions', () => {
    expect(matches('banned', 'mallory is banned')).to.equal(false)
    expect(matches('/banned/', 'mallory is banned')).to.equal(true)
    expect(matches('/^BANNED/i', 'banned for life')).to.equal(true)
    expect(matches('/^banned$/', 'mallory is banned')).to.equal(false)
    expect(matches('/3/', 3)).to.equal(true)
    expect(regexProblem('/[a-/')).to.match(/not a valid regular expression/)
    expect(regexProblem('plain')).to.equal(undefined)
  })

  it('matches objects partially and lists item by item', () => {
    const room = {slugifiedName: 'general', customFields: {level: 3, tags: ['a', 'b']}, creator: {username: 'alice', id: 'x'}}
    expect(matches({creator: {username: 'alice'}}, room)).to.equal(true)
    expect(matches({customFields: {tags: ['a', 'b']}}, room)).to.equal(true)
    expect(matches({customFields: {tags: ['a']}}, room)).to.equal(false)
    expect(matches({customFields: {level: '3'}}, room)).to.equal(false)
    expect(matches({displayName: null}, room)).to.equal(true)
    expect(matches({slugifiedName: null}, room)).to.equal(false)
  })

  it('finds text in messages by substring or regex', () => {
    expect(containsText('Welcome', 'Welcome to #general, bob!')).to.equal(true)
    expect(containsText('/bob!$/', 'Welcome to #general, bob!')).to.equal(true)
    expect(containsText('welcome', 'Welcome to #general')).to.equal(false)
  })

  it('cuts actual values to the expected shape for display', () => {
    const actual = {plugin: 'gatekeeper', interface: 'IPreRoomUserJoined', reason: 'mallory is banned'}
    expect(projectActual({plugin: 'x', reason: '/nope/'}, actual)).to.deep.equal({plugin: 'gatekeeper', reason: 'mallory is banned'})
    expect(resolveExpected({plugin: 'x', reason: '/banned/'}, actual)).to.deep.equal({plugin: 'x', reason: 'mallory is banned'})
  })

  it('lays values out one item per line and diffs them', () => {
    expect(layout({members: ['alice', 'bob'], fields: {}})).to.deep.equal(['members:', '  - "alice"', '  - "bob"', 'fields: {}'])
    expect(renderDiff(['alice', 'bob'], ['alice', 'bob', 'helper.bot'])).to.equal(['- expected', '+ actual', '', '  - "alice"', '  - "bob"', '+ - "helper.bot"'].join('\n'))
    const long = Array.from({length: 20}, (_, index) => `item${index}`)
    const changed = [...long]
    changed[10] = 'other'
    const diff = renderDiff(long, changed).split('\n')
    expect(diff).to.include('- - "item10"')
    expect(diff).to.include('+ - "other"')
    expect(diff.filter((line) => line === '  …')).to.have.length(2)
    expect(diff).to.not.include('  - "item0"')
  })
})
