import {expect} from 'chai'

import {judgeThrow} from '../../src/engine/judge.js'
import {apiVersionWarning, lowestVersion, unsimulatedInterfaces} from '../../src/isolate/compatibility.js'
import {ENGINE_SPECIFIER, ownEngineFile} from '../../src/host/bundle.js'
import {appClassOf} from '../../src/isolate/load-module.js'
import {serializeError} from '../../src/protocol/messages.js'

/** A class shaped like an App subclass (the methods upstream checks for). */
function appClass(name: string): new () => object {
  const made = {
    [name]: class {
      getID() {}
      getNameSlug() {}
    },
  }
  return made[name]!
}

describe('apps: how roomsim finds and judges them', () => {
  describe('the class of classFile, found as upstream finds it', () => {
    it('takes the default export when there is one', () => {
      const Default = appClass('Whatever')
      expect(appClassOf({default: Default, Other: appClass('Other')}, 'MyApp.ts')).to.equal(Default)
    })

    it('else, for CommonJS exports (module.exports under default), the first exported value', () => {
      const First = appClass('First')
      expect(appClassOf({default: {First, Second: appClass('Second')}}, 'Second.js')).to.equal(First)
    })

    it('else, in an ES module, the exported App class named after the class file, then any App class, then any class', () => {
      const Helper = class Helper {}
      const MyApp = appClass('MyApp')
      expect(appClassOf({Helper, AnotherApp: appClass('AnotherApp'), MyApp}, 'src/MyApp.ts')).to.equal(MyApp)
      expect(appClassOf({Helper, MyApp}, 'Other.ts')).to.equal(MyApp)
      expect(appClassOf({Helper, LOCK: 'x'}, 'Other.ts')).to.equal(Helper)
    })

    it('names the class file when it exports no class', () => {
      expect(() => appClassOf({value: 1}, 'MyApp.ts')).to.throw(/the class file MyApp\.ts exports no class/)
    })
  })

  describe('the compatibility report', () => {
    const known = ['IPreRoomUserJoined', 'IPostMessageSent', 'IPreEmailSent', 'IUIKitInteractionHandler']

    it('lists declared or implemented interfaces roomsim never calls, never the room ones', () => {
      const app = {executePreRoomUserJoined() {}, executePostMessageSent() {}, executeViewSubmitHandler() {}}
      expect(unsimulatedInterfaces(app, ['IPreRoomUserJoined', 'IPreEmailSent'], known)).to.deep.equal(['IPostMessageSent', 'IPreEmailSent', 'IUIKitInteractionHandler'])
      expect(unsimulatedInterfaces({}, ['IPostFutureThing'], known)).to.deep.equal(['IPostFutureThing'])
    })

    it('warns only when requiredApiVersion needs a newer engine than the bundled one', () => {
      expect(lowestVersion('^1.19.0')).to.deep.equal([1, 19, 0])
      expect(lowestVersion('>=1.30')).to.deep.equal([1, 30, 0])
      expect(apiVersionWarning('^1.66.0', '1.66.0')).to.equal(undefined)
      expect(apiVersionWarning('^1.19.0', '1.66.0')).to.equal(undefined)
      expect(apiVersionWarning('^1.67.0', '1.66.0')).to.match(/newer than the Apps-Engine roomsim bundles \(1\.66\.0\)/)
      expect(apiVersionWarning(undefined, '1.66.0')).to.equal(undefined)
    })
  })

  describe('the engine package', () => {
    it('matches the package and its subpaths, nothing else', () => {
      for (const specifier of ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/definition/App', '@rocket.chat/apps-engine/definition/rooms/index.js']) expect(ENGINE_SPECIFIER.test(specifier), specifier).to.equal(true)
      for (const specifier of ['@rocket.chat/apps-engine-extra', '@rocket.chat/ui-kit', 'apps-engine']) expect(ENGINE_SPECIFIER.test(specifier), specifier).to.equal(false)
    })

    it("resolves extensionless subpaths and folders in roomsim's copy; a path it lacks is left to the plugin", () => {
      expect(ownEngineFile('@rocket.chat/apps-engine/definition/App')).to.match(/apps-engine[\\/]definition[\\/]App\.js$/)
      expect(ownEngineFile('@rocket.chat/apps-engine/definition/rooms')).to.match(/rooms[\\/]index\.js$/)
      expect(ownEngineFile('@rocket.chat/apps-engine/server/NotThere')).to.equal(undefined)
    })
  })

  describe('a veto with no message', () => {
    it("gives the exception's class name as the reason, never \"undefined\"", () => {
      class AppsEngineException extends Error {
        constructor(message?: string) {
          super(message)
          this.name = 'AppsEngineException'
        }
      }
      class UserNotAllowedException extends AppsEngineException {}
      expect(judgeThrow('veto', serializeError(new UserNotAllowedException()))).to.deep.include({result: 'prevented', prevented: 'UserNotAllowedException'})
      const bare = {name: 'AppsEngineException', message: undefined}
      expect(judgeThrow('veto', serializeError(bare))).to.deep.include({result: 'prevented', prevented: 'AppsEngineException'})
    })
  })
})
