/**
 * Where the bundled handlers live (`npm run build` writes dist/lambda/<name>/index.mjs)
 * and a check that they exist, so a missing build fails with an instruction rather than
 * CDK's "Cannot find asset".
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { InvalidInputError } from '../../functions/core/errors.js';

export const LAMBDA_ASSET_NAMES = ['detector', 'scan-scheduler', 'scan-worker'] as const;
export type LambdaAssetName = (typeof LAMBDA_ASSET_NAMES)[number];

/** Every bundle exports `handler` from index.mjs. */
export const LAMBDA_HANDLER = 'index.handler';

const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** dist/lambda under the repository root. */
export const DEFAULT_LAMBDA_ASSET_ROOT = join(REPOSITORY_ROOT, 'dist', 'lambda');

/** Thrown when a handler bundle the stack needs has not been built. */
export class MissingLambdaAssetError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingLambdaAssetError';
  }
}

/** The bundle directory of one handler as Lambda code; throws MissingLambdaAssetError when it was not built. */
export function lambdaCode(assetRoot: string, name: LambdaAssetName): Code {
  const directory = join(assetRoot, name);
  const entry = join(directory, 'index.mjs');
  if (!existsSync(entry)) {
    const fromHere = relative(process.cwd(), entry);
    const shown = fromHere.startsWith('..') ? entry : fromHere;
    throw new MissingLambdaAssetError(`${shown} is missing: run \`npm run build\` first`);
  }
  return Code.fromAsset(directory);
}
