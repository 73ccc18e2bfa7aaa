// Lambda bundles only: stands in for @aws-sdk/credential-provider-node. Lambda always hands
// the function's credentials over in environment variables, so the rest of the default chain
// (SSO, config files, web identity, IMDS) is dead weight in the bundle.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
