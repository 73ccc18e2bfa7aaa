/**
 * Turns one policy's ajv errors on one registry's facts into findings: one finding per
 * subject (repository, rule, filter, profile or the registry), worded by the policy author's
 * `errorMessage` when there is one, with a fingerprint that ignores list order and wording.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Finding, RegistryFacts } from '../types.js';
import { fillPointers } from './error-messages.js';
import { describeSubject, type Subject, subjectOf } from './subject.js';
import type { PolicyMetadata } from './types.js';

const FINGERPRINT_LENGTH = 16;

/** Stable hash of the violation's identity: policy, registry and the subject's identity. */
export function fingerprintOf(
  policyId: string,
  accountId: string,
  region: string,
  identity: readonly unknown[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([policyId, accountId, region, ...identity]))
    .digest('hex')
    .slice(0, FINGERPRINT_LENGTH);
}

const headHashes = new WeakMap<readonly unknown[], Map<string, Hash>>();

/**
 * fingerprintOf for a subject, the same value: a subject with an identity head (a filter)
 * hashes the head's text once per policy and target, and each filter adds only its own
 * tail to a copy of that hash.
 */
export function subjectFingerprint(
  policyId: string,
  accountId: string,
  region: string,
  subject: Subject,
): string {
  const head = subject.identityHead;
  if (!head || subject.identity.length !== head.length + 1) {
    return fingerprintOf(policyId, accountId, region, subject.identity);
  }
  let byTarget = headHashes.get(head);
  if (!byTarget) {
    byTarget = new Map();
    headHashes.set(head, byTarget);
  }
  const key = `${policyId}\n${accountId}\n${region}`;
  let hash = byTarget.get(key);
  if (!hash) {
    const text = JSON.stringify([policyId, accountId, region, ...head]);
    hash = createHash('sha256').update(text.slice(0, -1));
    byTarget.set(key, hash);
  }
  const last = subject.identity[head.length];
  return hash
    .copy()
    .update(`,${JSON.stringify(last)}]`)
    .digest('hex')
    .slice(0, FINGERPRINT_LENGTH);
}

export function findingsFromErrors(
  policy: PolicyMetadata,
  facts: RegistryFacts,
  errors: readonly ErrorObject[],
): Finding[] {
  // By the subject's place first (cheap), then by fingerprint (a hash per place, not per
  // error): subjects at two places with the same content are one finding.
  const byPlace = new Map<string, { subject: Subject; errors: ErrorObject[] }>();
  for (const error of errors) {
    const subject = subjectOf(facts, error.instancePath);
    const place = `${subject.kind}:${subject.path}`;
    const group = byPlace.get(place);
    if (group) group.errors.push(error);
    else byPlace.set(place, { subject, errors: [error] });
  }
  const groups = new Map<string, { subject: Subject; errors: ErrorObject[] }>();
  for (const { subject, errors: placeErrors } of byPlace.values()) {
    const fingerprint = subjectFingerprint(policy.id, facts.accountId, facts.region, subject);
    const group = groups.get(fingerprint);
    if (group) group.errors.push(...placeErrors);
    else groups.set(fingerprint, { subject, errors: placeErrors });
  }
  return [...groups].map(([fingerprint, { subject, errors: subjectErrors }]) => {
    const authored = subjectErrors.filter((e) => e.keyword === 'errorMessage');
    const chosen = authored[0] ?? subjectErrors[0]!;
    const message = authored.length
      ? [...new Set(authored.map((e) => e.message ?? ''))].join('; ')
      : defaultMessage(policy, facts, subject, chosen);
    const finding: Finding = {
      policyId: policy.id,
      policyTitle: policy.title,
      severity: policy.severity,
      accountId: facts.accountId,
      region: facts.region,
      message: fillPlaceholders(
        authored.length ? fillPointers(message, facts, subject.path) : message,
        subject,
        facts,
      ),
      // An authored message speaks for its subject; ajv's own names the failing field.
      factsPath: authored.length ? subject.path : chosen.instancePath,
      fingerprint,
    };
    if (subject.repositoryName !== undefined) finding.repositoryName = subject.repositoryName;
    if (subject.ruleIndex !== undefined) finding.ruleIndex = subject.ruleIndex;
    if (subject.signingProfileArn !== undefined) finding.signingProfileArn = subject.signingProfileArn;
    return finding;
  });
}

/** Used when the author set no errorMessage: the subject, the policy and ajv's own words. */
function defaultMessage(
  policy: PolicyMetadata,
  facts: RegistryFacts,
  subject: Subject,
  error: ErrorObject,
): string {
  const where = subject.kind === 'registry' ? '' : ` in ${facts.accountId}/${facts.region}`;
  const field = error.instancePath.slice(subject.path.length).replace(/^\//, '');
  const detail =
    error.keyword === 'const'
      ? ` ${JSON.stringify(error.params['allowedValue'])}`
      : error.keyword === 'enum'
        ? ` (${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`
        : '';
  const problem = `${field ? `${field} ` : ''}${error.message ?? 'is invalid'}${detail}`;
  return `${describeSubject(subject, facts)}${where} does not meet "${policy.title}": ${problem}`;
}

/** The tags of the subject's image, comma-separated, or `untagged`. */
function imageTagsOf(subject: Subject, facts: RegistryFacts): string {
  const repository = facts.repositories.find((r) => r.repositoryName === subject.repositoryName);
  const tags = repository?.images.find((i) => i.imageDigest === subject.imageDigest)?.imageTags ?? [];
  return tags.length > 0 ? tags.join(',') : 'untagged';
}

/**
 * Fills the engine's placeholders: after `${pointer}` templates (JSON values), the plain
 * `{name}` ones give unquoted names of the finding's subject.
 * Unknown names, or names the subject lacks, stay as written so a policy test shows them.
 */
function fillPlaceholders(message: string, subject: Subject, facts: RegistryFacts): string {
  if (!message.includes('{')) return message;
  // Worked out per placeholder used: a message names two or three of them, and a policy
  // over filters fills thousands of messages per registry.
  const placeholderValue = (name: string): string | undefined => {
    switch (name) {
      case 'accountId':
        return facts.accountId;
      case 'region':
        return facts.region;
      case 'registry':
        return `${facts.accountId}/${facts.region}`;
      case 'subject':
        return describeSubject(subject, facts);
      case 'repositoryName':
        return subject.repositoryName;
      case 'ruleIndex':
        return subject.ruleIndex === undefined ? undefined : String(subject.ruleIndex);
      case 'filter':
        return subject.filter;
      case 'signingProfileArn':
        return subject.signingProfileArn;
      case 'imageDigest':
        return subject.imageDigest;
      case 'imageTags':
        return subject.imageDigest === undefined ? undefined : imageTagsOf(subject, facts);
      default:
        return undefined;
    }
  };
  return message.replace(/\{([A-Za-z]+)\}/g, (text, name: string) => placeholderValue(name) ?? text);
}
