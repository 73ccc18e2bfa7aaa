import type { Command } from '../command.js';

/** Every subcommand, in the order the help lists them. Add a command here and in its own file. */
export const commands: Command[] = [];
