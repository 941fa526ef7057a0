import type { RegisterCommand } from '../program.js';
import { registerKb } from './kb.js';

/** Every command module, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [registerKb];
