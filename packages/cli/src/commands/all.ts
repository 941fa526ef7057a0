import type { RegisterCommand } from '../program.js';
import { registerKb } from './kb.js';
import { registerInit } from './init.js';
import { registerValidate } from './validate.js';
import { registerAssess } from './assess.js';
import { registerScanModel } from './scan-model.js';
import { registerScanDeps } from './scan-deps.js';
import { registerScanData } from './scan-data.js';
import { registerData } from './data.js';
import { registerOsv } from './osv.js';
import { registerMonitor } from './monitor.js';
import { registerServe } from './serve.js';

/** Every command module, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerKb,
  registerInit,
  registerValidate,
  registerAssess,
  registerScanModel,
  registerScanDeps,
  registerScanData,
  registerData,
  registerOsv,
  registerMonitor,
  registerServe,
];
