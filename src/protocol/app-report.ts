/**
 * What an app's lifecycle registered, by extension point: recorded inside the
 * isolate, shown by `plugins info` on the host side.
 */
export const REGISTRATION_POINTS = [
  'settings',
  'slashCommands',
  'apiEndpoints',
  'schedulerProcessors',
  'uiButtons',
  'videoConfProviders',
  'externalComponents',
  'emailProviders',
  'phoneProviders',
  'httpDefaults',
  'scheduledJobs',
  'slashCommandChanges',
  'serverSettingChanges',
] as const
export type RegistrationPoint = (typeof REGISTRATION_POINTS)[number]

export type AppRegistrations = Record<RegistrationPoint, string[]>

export const noRegistrations = (): AppRegistrations => Object.fromEntries(REGISTRATION_POINTS.map((point) => [point, []])) as unknown as AppRegistrations
