import { run } from '@atlasguard/cli';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `atlasguard ARGS` in-process with captured output (no TTY, no colour). */
export async function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'atlasguard', ...args], {
    stdout: { write: (chunk: string) => ((stdout += chunk), true) },
    stderr: { write: (chunk: string) => ((stderr += chunk), true) },
    env: options.env ?? { ...process.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
