import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { initCommand } from './init.js';
import { sqlCommand } from './sql.js';
import { statusCommand } from './status.js';

/** Every CLI verb, in the order `clientele --help` lists them. */
export const COMMANDS: readonly Command[] = [initCommand, statusCommand, sqlCommand, demoCommand];
