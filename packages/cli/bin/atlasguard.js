#!/usr/bin/env node
// Entry point of the `atlasguard` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { run } from '../dist/main.js';

process.exitCode = await run(process.argv);
