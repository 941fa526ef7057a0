#!/usr/bin/env node
// Entry point of the `atlasguard` command: runs the compiled CLI, bundled into a few chunks that each command
// loads on demand (built by `npm install` / `npm run build`: scripts/bundle-cli.mjs).
import { run } from '../dist/bundle/main.js';

process.exitCode = await run(process.argv);
