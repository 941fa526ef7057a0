/** Bounds for hostile inputs. Lockfiles of real projects stay far below these. */
export const LIMITS = {
  /** Largest manifest or lockfile read. */
  maxFileBytes: 64 * 1024 * 1024,
  /** Most packages in one input. */
  maxPackages: 200_000,
  /** Deepest `-r`/`-c` include chain in requirements files. */
  maxIncludeDepth: 16,
  /** Most requirements files one run reads through includes. */
  maxIncludedFiles: 256,
  /** Longest logical requirements line (after joining continuations). */
  maxLineChars: 64 * 1024,
  /** Most hashes on one requirement. */
  maxHashesPerPackage: 1_000,
} as const;
