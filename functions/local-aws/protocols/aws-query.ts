/**
 * awsQuery (STS, SNS): a form-encoded POST with `Action` and `Version`, nested members
 * flattened to dotted keys (`MessageAttributes.entry.1.Value.DataType`), XML answers
 * wrapped in `<ActionResponse><ActionResult>` and errors in `<ErrorResponse><Error>`.
 */
import type { AwsServiceError } from '../errors.js';
import type { HttpReply } from './http-reply.js';

export type QueryParams = ReadonlyMap<string, string>;

export type XmlValue = string | number | boolean | Date | readonly XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [element: string]: XmlValue | undefined;
}

const XML_CONTENT_TYPE = 'text/xml';
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function parseQueryParams(body: string): Map<string, string> {
  return new Map(new URLSearchParams(body));
}

/**
 * The numbered groups under `prefix` (`prefix.1.Name`, `prefix.1.Value.DataType`, …), in
 * index order, each keyed by what follows the index.
 */
export function readQueryEntries(params: QueryParams, prefix: string): Map<string, string>[] {
  const groups = new Map<number, Map<string, string>>();
  const head = `${prefix}.`;
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || dot < 0) continue;
    let group = groups.get(index);
    if (!group) {
      group = new Map();
      groups.set(index, group);
    }
    group.set(rest.slice(dot + 1), value);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** One element; lists become `<member>` children, as both STS and SNS shape them. */
export function toXml(name: string, value: XmlValue | undefined): string {
  if (value === undefined) return '';
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (Array.isArray(value))
    return `<${name}>${value.map((item: XmlValue) => toXml('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const children = Object.entries(value as XmlObject)
      .map(([child, v]) => toXml(child, v))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResultReply(
  action: string,
  namespace: string,
  result: XmlObject,
  requestId: string,
): HttpReply {
  const body =
    `<${action}Response xmlns="${namespace}">` +
    toXml(`${action}Result`, result) +
    toXml('ResponseMetadata', { RequestId: requestId }) +
    `</${action}Response>`;
  return {
    statusCode: 200,
    headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body,
  };
}

export function queryErrorReply(error: AwsServiceError, namespace: string, requestId: string): HttpReply {
  const detail = toXml('Error', {
    Type: error.faultType,
    Code: error.code,
    Message: error.message,
    ...error.fields,
  });
  const body = `<ErrorResponse xmlns="${namespace}">${detail}${toXml('RequestId', requestId)}</ErrorResponse>`;
  return {
    statusCode: error.statusCode,
    headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body,
  };
}
