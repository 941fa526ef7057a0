// Runs the real `atlasguard serve` command from source in a child process (durability test, benchmark).
import { run } from '@atlasguard/cli';

process.exitCode = await run(['node', 'atlasguard', ...process.argv.slice(2)]);
