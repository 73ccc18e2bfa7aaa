export { arrayElement, arrayEnd, ELEMENT_SEPARATOR_LENGTH } from './json-text.js';
export type { RenderOptions, ReportFormat } from './render.js';
export { REPORT_FORMATS, renderReport, streamedFormat } from './render.js';
export type { PolicyDescriptor, PolicyLocation } from './sarif.js';
export type { ReportPart, StreamedReportFormat } from './streamed-report.js';
export { layoutParts } from './streamed-report.js';
