import type {Report} from '../report.js'

/** The JSON report: exactly the Report document (see report.ts), which `scenario merge` reads back. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`
