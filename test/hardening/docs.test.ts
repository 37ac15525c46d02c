import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ERROR_CODES} from '../../src/errors.js'
import {ROOT} from '../helpers/cli.js'

describe('README: the error-code table stays complete', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  for (const [code, {exit}] of Object.entries(ERROR_CODES)) {
    it(`lists ${code} with exit ${exit}`, () => {
      expect(readme).to.match(new RegExp(`\\| \`${code}\` \\| ${exit} \\|`))
    })
  }

  it('has a section on a store in trouble', () => {
    expect(readme).to.include('### When the store is in trouble')
  })
})
