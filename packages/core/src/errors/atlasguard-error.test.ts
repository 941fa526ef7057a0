import { describe, expect, it } from 'vitest';
import { AtlasGuardError, formatError, formatPosition } from './atlasguard-error.js';
import { ExitCode } from './exit-codes.js';

describe('exit codes', () => {
  it('follow the DESIGN.md convention', () => {
    expect(ExitCode).toEqual({ Ok: 0, Findings: 1, Error: 2, NothingToScan: 3, Usage: 4 });
  });
});

describe('AtlasGuardError', () => {
  it('defaults to exit 2 (fail closed) with no hint or position', () => {
    const error = new AtlasGuardError('boom');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AtlasGuardError');
    expect(error.exitCode).toBe(2);
    expect(error.hint).toBeUndefined();
    expect(error.position).toBeUndefined();
    expect(formatError(error)).toBe('boom');
  });

  it('carries a hint, an exit code, a position and a cause', () => {
    const cause = new Error('inner');
    const error = new AtlasGuardError('bad value', {
      hint: 'use a number',
      exitCode: ExitCode.Usage,
      position: { file: 'model.yaml', line: 3, column: 7 },
      cause,
    });
    expect(error.exitCode).toBe(4);
    expect(error.cause).toBe(cause);
    expect(formatError(error)).toBe('model.yaml:3:7: bad value\n  hint: use a number');
  });

  it('formats partial positions', () => {
    expect(formatPosition({ file: 'a.yaml' })).toBe('a.yaml');
    expect(formatPosition({ file: 'a.yaml', line: 2 })).toBe('a.yaml:2');
    expect(formatPosition({ file: 'a.yaml', column: 5 })).toBe('a.yaml');
  });
});
