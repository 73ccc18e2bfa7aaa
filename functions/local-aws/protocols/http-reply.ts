/** What a protocol layer answers: written to the socket by the server, inspectable in unit tests. */
export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A JSON reply with the request id header every AWS JSON service sends. */
export function jsonReply(
  statusCode: number,
  body: unknown,
  contentType: string,
  requestId: string,
): HttpReply {
  return {
    statusCode,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}
