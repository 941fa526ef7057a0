import { hash, verify, type Options } from '@node-rs/argon2';

/** argon2id (the library's default algorithm; a test checks the `$argon2id$` prefix) at OWASP's minimum: 19 MiB, t=2, p=1. */
const OPTIONS: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Password hashing with at most `concurrency` hashes in flight, so a login flood cannot take every thread of
 * the libuv pool (the database driver needs them too).
 */
export class PasswordHasher {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private dummy: Promise<string> | undefined;

  constructor(private readonly concurrency = 2) {}

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  hash(password: string): Promise<string> {
    return this.slot(() => hash(password, OPTIONS));
  }

  /** Verifies; with no stored hash, spends the same time on a dummy hash and returns false. */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    if (stored === undefined) {
      this.dummy ??= hash('atlasguard-timing-equalizer', OPTIONS);
      const dummy = await this.dummy;
      await this.slot(() => verify(dummy, password).catch(() => false));
      return false;
    }
    return this.slot(() => verify(stored, password).catch(() => false));
  }
}

/** Minimum password policy: length, not only whitespace; long inputs are refused before hashing. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
