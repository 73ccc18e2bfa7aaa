/**
 * The policies and desired configurations the Lambda evaluates. In the Lambda bundle
 * the build replaces this module with one holding the policies precompiled to
 * validation code (ajv standalone) and the desired set inlined, so what runs is what
 * was reviewed and a cold start compiles nothing. Unbundled (tests, local runs), it
 * loads and compiles the repository's policies/ directory.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesiredConfigurationSet } from '../core/drift/index.js';
import type { PolicySet } from '../core/policy/index.js';
import { policiesReadRepositoryTags } from '../core/policy/index.js';
import { loadDesiredDirectory } from '../files/load-desired-directory.js';
import { loadPolicySet } from '../files/load-policy-directory.js';

export interface BundledPolicies {
  policySet: PolicySet;
  desired: DesiredConfigurationSet;
  readsRepositoryTags: boolean;
}

const repositoryPolicies = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'policies');

let loaded: Promise<BundledPolicies> | undefined;

export function bundledPolicies(): Promise<BundledPolicies> {
  loaded ??= (async () => {
    const { directory, policySet } = await loadPolicySet(repositoryPolicies);
    return {
      policySet,
      desired: await loadDesiredDirectory(join(repositoryPolicies, 'desired')),
      readsRepositoryTags: policiesReadRepositoryTags(directory.policies),
    };
  })();
  return loaded;
}
