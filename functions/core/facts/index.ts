export { buildFacts } from './facts.js';
export { default as factsSchema } from './facts.schema.json' with { type: 'json' };
export { parseSigningProfileArn } from './signer-arn.js';
export {
  capturedSnapshot,
  checkRegistryNotRepeated,
  describeSchemaError,
  parseSnapshot,
  parseSnapshotHeader,
  parseSnapshotRegistry,
} from './snapshot.js';
export { default as snapshotSchema } from './snapshot.schema.json' with { type: 'json' };
