// Test support only (excluded from the build): runs the CLI from its sources in a child process, so a test
// can give it a real terminal (see init-prompts.test.ts).
import { run } from '../../main.js';

process.exitCode = await run(process.argv);
