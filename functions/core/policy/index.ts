export { compilePolicySet } from './compile.js';
export type { EvaluationBudget } from './evaluate.js';
export { DEFAULT_EVALUATION_BUDGET, evaluatePolicies } from './evaluate.js';
export type { FixtureExpectation, PolicyFixture } from './policy-tests.js';
export { parseFixture, runPolicyTests } from './policy-tests.js';
export { policySetFromModule } from './precompiled.js';
export { policiesReadRepositoryTags, selectPolicies } from './select.js';
export { generatePolicySetModule, importsForRuntimeRequires } from './standalone.js';
export type { PolicyMetadata, PolicySet, SchemaDocument } from './types.js';
