export type { ReportFormat } from './render.js';
export { REPORT_FORMATS, renderReport } from './render.js';
