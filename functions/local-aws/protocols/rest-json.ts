/**
 * restJson1 (Signer): the operation is the method and path; errors carry their code in
 * the `x-amzn-errortype` header (the SDK reads it first) and `{"message": ...}` in the body.
 */
import type { AwsServiceError } from '../errors.js';
import { type HttpReply, jsonReply } from './http-reply.js';

const REST_JSON_CONTENT_TYPE = 'application/json';

export function restJsonResultReply(result: Record<string, unknown>, requestId: string): HttpReply {
  return jsonReply(200, result, REST_JSON_CONTENT_TYPE, requestId);
}

export function restJsonErrorReply(error: AwsServiceError, requestId: string): HttpReply {
  const reply = jsonReply(
    error.statusCode,
    { message: error.message, ...error.fields },
    REST_JSON_CONTENT_TYPE,
    requestId,
  );
  reply.headers['x-amzn-errortype'] = error.code;
  return reply;
}
