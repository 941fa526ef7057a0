// Runs the real `atlasguard` command from source in a child process (JetStream crash test).
import { run } from '@atlasguard/cli';

process.exitCode = await run(['node', 'atlasguard', ...process.argv.slice(2)]);
