import type { ByteSource } from '../source/byte-source.js';
import type { Collector } from './collector.js';

/** One thing to scan: a file, an archive member or a decompressed wrapper body. */
export interface ScanNode {
  readonly src: ByteSource;
  /** File or member name (for extension checks and layout rules). */
  readonly name: string;
  /** Location chain inside the input file (`archive/data.pkl`, `outer.zip!inner.pt!archive/data.pkl`). */
  readonly member: string | undefined;
  /** Archive/wrapper nesting depth. */
  readonly depth: number;
  /** Container-provided hint: this member is a pickle the loader will read (strong evidence). */
  readonly pickleExpected?: boolean;
  /** Files next to this one, when the container can open them. */
  readonly siblings?: SiblingLookup;
  /** Parse as this container whatever the leading bytes say (the zip part of a polyglot). */
  readonly as?: 'zip';
}

/** A file next to this one (same directory or archive folder), for repo metadata that names other files. */
export interface Sibling {
  readonly src: ByteSource;
  /** Display path of the sibling when it is a file of its own. */
  readonly path?: string;
  /** Location chain when it is an archive member. */
  readonly member?: string;
}
export type SiblingLookup = (name: string) => Sibling | undefined;

/** Scans a nested node and returns its format. */
export type Recurse = (node: ScanNode, c: Collector) => string;

export function childMember(parent: ScanNode, name: string): string {
  return parent.member === undefined ? name : `${parent.member}!${name}`;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
