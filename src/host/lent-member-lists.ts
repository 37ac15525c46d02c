/**
 * Member lists lent to a running handler call: a room whose members are not
 * read yet goes to the isolate with a list number instead of its lists, and
 * the isolate fetches them only if the handler reads them (protocol/member-fetch.ts).
 * A number is good for the plugin it was lent to, while its call runs.
 */
import {roomView, withInputRoom} from '../domain/room-view.js'
import type {HostRoom, Members} from '../domain/types.js'
import type {MemberAnswer, RoomWithoutMembers} from '../protocol/member-fetch.js'

export class LentMemberLists {
  private nextList = 1
  private readonly lent = new Map<number, {plugin: string; members: Members}>()

  /** The handler input as sent to `plugin`'s isolate, and what ends the loan when the call has settled. */
  lend(plugin: string, input: unknown): {input: unknown; release: () => void} {
    const lists: number[] = []
    const letGo: (() => void)[] = []
    const wire = withInputRoom(input, (room: HostRoom) => {
      // A list already read costs nothing more to send whole.
      if (room.members.isRead) return roomView(room)
      const list = this.nextList++
      // The handler may read it after a nested action changed the room: it must see the members as they are now.
      letGo.push(room.members.hold())
      this.lent.set(list, {plugin, members: room.members})
      lists.push(list)
      const {members: _members, ...fields} = room
      return {memberList: list, ...fields} satisfies RoomWithoutMembers
    })
    return {
      input: wire,
      release: () => {
        for (const list of lists) this.lent.delete(list)
        for (const each of letGo) each()
      },
    }
  }

  /** What `plugin`'s isolate gets when it fetches list `list`. */
  answer(plugin: string, list: number): MemberAnswer {
    const loan = this.lent.get(list)
    if (!loan || loan.plugin !== plugin) return {ok: false, error: 'room.userIds / room.usernames: read after the handler call that received the room ended'}
    return {ok: true, userIds: [...loan.members.ids()], usernames: [...loan.members.usernames()]}
  }
}
