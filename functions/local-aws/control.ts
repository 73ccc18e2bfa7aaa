/**
 * The local control endpoints under /_local/ (plain JSON, no credentials): what was
 * published, the current state, reset, faults at run time and image pushes.
 */
import type { ImageSnapshot, Snapshot } from '../core/types.js';
import { WorldInvalidError } from './errors.js';
import type { FaultSettings } from './faults.js';
import { PushTargetMissingError } from './image-push.js';
import { type HttpReply, jsonReply } from './protocols/http-reply.js';
import type { PublishedMessage, RecordedCall } from './state.js';
import { type PushRequest, parseFaultSettings, parsePushRequest } from './world.js';

export const CONTROL_PREFIX = '/_local/';

/** What the control endpoints read and change. */
export interface ControlTarget {
  reset(): void;
  setFaults(faults: FaultSettings): void;
  faults(): FaultSettings;
  snapshot(): Snapshot;
  messages(): readonly PublishedMessage[];
  calls(): readonly RecordedCall[];
  /** Every recorded CloudTrail event, oldest first, in EventBridge's form. */
  events(): readonly Record<string, unknown>[];
  /** Pushes an image; throws PushTargetMissingError for a repository that does not exist. */
  push(request: PushRequest): ImageSnapshot;
}

const CONTENT_TYPE = 'application/json';

function reply(statusCode: number, body: unknown): HttpReply {
  return jsonReply(statusCode, body, CONTENT_TYPE, 'local');
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new WorldInvalidError(`request body is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

function postFaults(body: string, target: ControlTarget): HttpReply {
  try {
    target.setFaults(parseFaultSettings(parseBody(body), 'POST /_local/faults'));
  } catch (error) {
    if (error instanceof WorldInvalidError) return reply(400, { error: error.message });
    throw error;
  }
  return reply(200, target.faults());
}

function postPush(body: string, target: ControlTarget): HttpReply {
  try {
    return reply(200, target.push(parsePushRequest(parseBody(body), 'POST /_local/push')));
  } catch (error) {
    if (error instanceof PushTargetMissingError) return reply(404, { error: error.message });
    if (error instanceof WorldInvalidError) return reply(400, { error: error.message });
    throw error;
  }
}

export function controlReply(method: string, path: string, body: string, target: ControlTarget): HttpReply {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'GET health':
      return reply(200, { status: 'ok' });
    case 'GET sns/messages':
      return reply(200, { messages: target.messages() });
    case 'GET state':
      return reply(200, target.snapshot());
    case 'GET calls':
      return reply(200, { calls: target.calls() });
    case 'GET events':
      return reply(200, { events: target.events() });
    case 'GET faults':
      return reply(200, target.faults());
    case 'POST faults':
      return postFaults(body, target);
    case 'POST push':
      return postPush(body, target);
    case 'POST reset':
      target.reset();
      return reply(200, { status: 'reset' });
    default:
      return reply(404, {
        error: `no control endpoint ${method} ${path}; try GET /_local/health, /_local/sns/messages, /_local/state, /_local/calls, /_local/events, /_local/faults, POST /_local/faults, /_local/push, /_local/reset`,
      });
  }
}
