import type { RegisterCommand } from '../program.js';

/** Every command module, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [];
