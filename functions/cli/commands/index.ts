import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { demoCommand } from './demo.js';
import { historyCommand } from './history.js';
import { localAwsCommand } from './local-aws.js';
import { policiesCommand } from './policies.js';
import { releaseCommand } from './release.js';
import { rollbackCommand } from './rollback.js';
import { runCommand } from './run.js';
import { snapshotCommand } from './snapshot.js';

/** Every subcommand, in the order the help lists them. Add a command here and in its own file. */
export const commands: Command[] = [
  auditCommand,
  snapshotCommand,
  runCommand,
  rollbackCommand,
  historyCommand,
  releaseCommand,
  policiesCommand,
  localAwsCommand,
  demoCommand,
];
