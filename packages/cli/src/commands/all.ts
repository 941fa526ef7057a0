import type { RegisterCommand } from '../program.js';
import { registerKb } from './kb.js';
import { registerInit } from './init.js';
import { registerValidate } from './validate.js';
import { registerAssess } from './assess.js';
import { registerOsv } from './osv.js';
import { registerScanDeps } from './scan-deps.js';
import { registerScanModel } from './scan-model.js';
import { registerData } from './data.js';
import { registerScanData } from './scan-data.js';
import { registerServe } from './serve.js';

/** Every command module, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [registerKb, registerInit, registerValidate, registerAssess, registerScanDeps, registerScanModel, registerOsv, registerData, registerScanData, registerServe];
