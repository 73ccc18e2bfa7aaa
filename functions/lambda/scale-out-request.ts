/**
 * Scale-out requests: what the scheduler puts on every queued target (the action, trigger,
 * remediation mode and policy subset of the invocation) and how the worker reads it back.
 * A message without a complete request is refused, never run with the function's defaults.
 */
import type { QueuedRequest, QueuedTarget } from '../aws/target-queue.js';
import { type DetectorConfig, REMEDIATION_MODES } from '../config/detector-environment.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '../core/api-constraints.js';
import { ConfigurationError } from '../core/errors.js';
import { effectiveRemediation } from './detector-config.js';
import type { RunRequest } from './invocation.js';

/** The request each queued target carries; throws ConfigurationError for what scale-out cannot do. */
export function queuedRequest(config: DetectorConfig, request: RunRequest): QueuedRequest {
  if (request.kind === 'rollback') {
    throw new ConfigurationError(
      'action rollback is not available in scale-out mode: it restores one target, which the queue does not order; restore it with `ecr-sign-drift rollback --target ACCOUNT/REGION`',
    );
  }
  if (request.kind === 'scheduled') {
    return { action: 'run', trigger: 'schedule', remediation: config.remediation };
  }
  if (request.kind === 'signing-change') {
    return { action: 'run', trigger: 'signing-change', remediation: config.remediation };
  }
  const policies = request.policies ? { policies: request.policies } : {};
  if (request.action === 'audit') {
    return { action: 'audit', trigger: 'manual-audit', remediation: 'off', ...policies };
  }
  const asked = request.action === 'remediate' ? (request.remediation ?? 'apply') : request.remediation;
  return {
    action: 'run',
    trigger: `manual-${request.action}`,
    remediation: effectiveRemediation(config.remediation, asked),
    ...policies,
  };
}

const ACTIONS: readonly string[] = ['audit', 'run'];
const TRIGGER = /^[a-z][a-z-]{0,63}$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');
}

/** The problem with a queued request, or null when it is complete. */
function requestProblem(request: unknown): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return "no 'request'";
  const r = request as Record<string, unknown>;
  if (!ACTIONS.includes(r['action'] as string)) return `request.action must be one of ${ACTIONS.join(', ')}`;
  if (typeof r['trigger'] !== 'string' || !TRIGGER.test(r['trigger'])) return 'request.trigger is missing';
  if (!(REMEDIATION_MODES as readonly unknown[]).includes(r['remediation']))
    return `request.remediation must be one of ${REMEDIATION_MODES.join(', ')}`;
  if (r['policies'] !== undefined && !isStringArray(r['policies']))
    return 'request.policies must be a list of policy ids';
  return null;
}

/** A queued message read back: the target, or the one-line reason it is refused. */
export function parseQueuedTarget(body: string): { target: QueuedTarget } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { problem: 'not a target object' };
  const t = parsed as Record<string, unknown>;
  if (typeof t['accountId'] !== 'string' || !ACCOUNT_ID_PATTERN.test(t['accountId']))
    return { problem: 'accountId is not a 12-digit account id' };
  if (typeof t['region'] !== 'string' || !REGION_PATTERN.test(t['region']))
    return { problem: 'region is not a region name' };
  if (typeof t['runId'] !== 'string' || t['runId'] === '') return { problem: 'runId is missing' };
  const problem = requestProblem(t['request']);
  if (problem) return { problem };
  return { target: parsed as QueuedTarget };
}
