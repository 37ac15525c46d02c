/**
 * IModify.getScheduler(): roomsim has no clock of its own, so a job a handler
 * schedules never runs; it is recorded as a log line of the action, so the
 * author sees that it was asked for.
 */
import type {CallScope, ServiceTable} from './scope.js'

export const SCHEDULER_SERVICES = {
  'scheduler.record': (scope: CallScope, what: unknown) => {
    scope.context?.effects.push({kind: 'log', plugin: scope.plugin, level: 'info', message: `ISchedulerModify: ${String(what)} (recorded; roomsim does not run scheduled jobs)`})
  },
} satisfies Partial<ServiceTable>
