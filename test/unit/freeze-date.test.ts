import {expect} from 'chai'

import {deepFreeze} from '../../src/isolate/freeze.js'

describe('deepFreeze of dates', () => {
  it('a frozen Date still reads as a Date, and every setter throws without changing it', () => {
    const when = new Date('2025-01-02T03:04:05Z')
    const {at} = deepFreeze({at: when})
    expect(at).to.be.instanceOf(Date)
    expect(at.getTime()).to.equal(Date.parse('2025-01-02T03:04:05Z'))
    expect(JSON.stringify({at})).to.equal('{"at":"2025-01-02T03:04:05.000Z"}')
    expect(structuredClone(at).getTime()).to.equal(at.getTime())
    expect(() => at.setFullYear(1999)).to.throw(TypeError, /frozen Date/)
    expect(() => at.setTime(0)).to.throw(TypeError, /setTime\(\) on a frozen Date/)
    expect(() => Object.setPrototypeOf(at, Date.prototype)).to.throw(TypeError)
    expect(at.getUTCFullYear()).to.equal(2025)
    // Other dates are untouched.
    expect(() => new Date().setFullYear(1999)).to.not.throw()
  })
})
