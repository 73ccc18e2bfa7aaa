/**
 * Turns one policy's ajv errors on one registry's facts into findings: one finding per
 * subject (repository, rule, filter, profile or the registry), worded by the policy author's
 * `errorMessage` when there is one, with a fingerprint that ignores list order and wording.
 */
import { createHash, type Hash, hash } from 'node:crypto';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Finding, RegistryFacts } from '../types.js';
import {
  type AuthoredTemplate,
  authoredTemplateFor,
  compileTemplate,
  renderTemplate,
} from './error-messages.js';
import { describeSubject, type Subject, subjectOf } from './subject.js';
import type { PolicyMetadata } from './types.js';

const FINGERPRINT_LENGTH = 16;

/**
 * Stable hash of the violation's identity: the first 16 hex digits of the sha256 of the JSON
 * text `[policyId, accountId, region, ...identity]`. Stored records and Security Hub ids hold
 * it, so the formula never changes.
 */
export function fingerprintOf(
  policyId: string,
  accountId: string,
  region: string,
  identity: readonly unknown[],
): string {
  return digestOf(JSON.stringify([policyId, accountId, region, ...identity]));
}

// One-shot hash: a Hash object per finding cost a third of a finding's time.
function digestOf(text: string): string {
  return hash('sha256', text, 'hex').slice(0, FINGERPRINT_LENGTH);
}

const headHashes = new WeakMap<readonly unknown[], Map<string, Hash>>();

/**
 * fingerprintOf for a subject, the same value: a subject with an identity head (a filter,
 * whose head holds all of its rule's filters) hashes the head's text once per policy and
 * target, and each filter adds only its own tail to a copy of that hash.
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
  let headHash = byTarget.get(key);
  if (!headHash) {
    const text = JSON.stringify([policyId, accountId, region, ...head]);
    headHash = createHash('sha256').update(text.slice(0, -1));
    byTarget.set(key, headHash);
  }
  const last = subject.identity[head.length];
  return headHash
    .copy()
    .update(`,${JSON.stringify(last)}]`)
    .digest('hex')
    .slice(0, FINGERPRINT_LENGTH);
}

interface SubjectErrors {
  subject: Subject;
  /** The first error about the subject: it names the field when no author's message applies. */
  first: ErrorObject;
  /** The distinct author's templates that apply to the subject's errors, in error order. */
  authored: AuthoredTemplate[];
}

export function findingsFromErrors(
  policy: PolicyMetadata,
  facts: RegistryFacts,
  errors: readonly ErrorObject[],
): Finding[] {
  // By the subject's place first (cheap), then by fingerprint (a hash per place, not per
  // error): subjects at two places with the same content are one finding.
  const byPlace = new Map<string, SubjectErrors>();
  for (const error of errors) {
    const subject = subjectOf(facts, error.instancePath);
    const authored = authoredTemplateFor(policy.messages, error.schemaPath);
    const group = byPlace.get(subject.path);
    if (!group) byPlace.set(subject.path, { subject, first: error, authored: authored ? [authored] : [] });
    else if (authored) addTemplate(group, authored);
  }
  const groups = new Map<string, SubjectErrors>();
  for (const group of byPlace.values()) {
    const fingerprint = subjectFingerprint(policy.id, facts.accountId, facts.region, group.subject);
    const same = groups.get(fingerprint);
    if (!same) groups.set(fingerprint, group);
    else for (const template of group.authored) addTemplate(same, template);
  }
  const findings: Finding[] = [];
  for (const [fingerprint, { subject, first, authored }] of groups) {
    const finding: Finding = {
      policyId: policy.id,
      policyTitle: policy.title,
      severity: policy.severity,
      accountId: facts.accountId,
      region: facts.region,
      message:
        authored.length === 1
          ? renderTemplate(authored[0]!.parts, facts, subject)
          : authored.length
            ? authored.map((a) => renderTemplate(a.parts, facts, subject)).join('; ')
            : renderTemplate(
                compileTemplate(defaultMessage(policy, facts, subject, first), false),
                facts,
                subject,
              ),
      // An authored message speaks for its subject; ajv's own names the failing field.
      factsPath: authored.length ? subject.path : first.instancePath,
      fingerprint,
    };
    if (subject.repositoryName !== undefined) finding.repositoryName = subject.repositoryName;
    if (subject.ruleIndex !== undefined) finding.ruleIndex = subject.ruleIndex;
    if (subject.signingProfileArn !== undefined) finding.signingProfileArn = subject.signingProfileArn;
    findings.push(finding);
  }
  return findings;
}

/** One message per distinct template, however many of the subject's errors it words. */
function addTemplate(group: SubjectErrors, template: AuthoredTemplate): void {
  if (!group.authored.some((a) => a.template === template.template)) group.authored.push(template);
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
