import type { RegisterCommand } from '../program.js';
import { registerData } from './data.js';
import { registerScanData } from './scan-data.js';
import { registerOsv } from './osv.js';
import { registerScanDeps } from './scan-deps.js';
import { registerKb } from './kb.js';

/** Every command module, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [registerKb, registerScanDeps, registerOsv, registerData, registerScanData];
