export type { ProfileLookup } from './coverage-change.js';
export type { RemediationPlan, RemediationStrategy } from './remediation-plan.js';
export { planRemediation, REMEDIATION_STRATEGIES } from './remediation-plan.js';
