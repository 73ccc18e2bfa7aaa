/**
 * awsJson1_1 (ECR, Organizations): POST / with `X-Amz-Target: <prefix>.<Operation>`,
 * a JSON body both ways, errors as `{"__type": code, "message": ...}` with status 400
 * unless the error says otherwise.
 */
import { AwsServiceError } from '../errors.js';
import { type HttpReply, jsonReply } from './http-reply.js';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export type JsonObject = Record<string, unknown>;

/** Splits `Prefix.Operation`; null when the header is not of that form. */
export function parseTarget(target: string): { prefix: string; operation: string } | null {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return null;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** The request body as an object; an empty body is `{}` as the SDK sends for input-less operations. */
export function parseJsonInput(body: string): JsonObject {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // The parser's message would describe our parser, not the request.
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return value as JsonObject;
}

export function jsonResultReply(result: JsonObject, requestId: string): HttpReply {
  return jsonReply(200, result, AWS_JSON_CONTENT_TYPE, requestId);
}

/** `messageKey` is the casing of the service's error member (`message` for ECR, `Message` for Organizations). */
export function jsonErrorReply(error: AwsServiceError, messageKey: string, requestId: string): HttpReply {
  return jsonReply(
    error.statusCode,
    { __type: error.code, [messageKey]: error.message, ...error.fields },
    AWS_JSON_CONTENT_TYPE,
    requestId,
  );
}

function serializationError(key: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Member '${key}' must be ${expected}`);
}

export function readString(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serializationError(key, 'a string');
  return value;
}

export function readInteger(input: JsonObject, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(key, 'an integer');
  return value;
}

export function readStringList(input: JsonObject, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw serializationError(key, 'a list of strings');
  }
  return value as string[];
}
