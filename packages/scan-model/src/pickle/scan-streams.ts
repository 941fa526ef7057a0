import type { ByteSource } from '../source/byte-source.js';
import type { PickleStop } from './reader.js';
import { runStream, type FileState, type StreamResult } from './vm.js';
import type { VmContext } from './vm-types.js';

export interface PickleScanOptions {
  start?: number;
  end?: number;
  /** Stop after this many complete streams (legacy PyTorch: 5; NumPy object arrays: 1). */
  maxStreams?: number;
}

export interface PickleScanResult {
  readonly streams: readonly StreamResult[];
  /** Where parsing ended. */
  readonly end: number;
  /** The first stream failed before doing anything: the bytes are not a pickle the loader would accept. */
  readonly notPickle: boolean;
  /** Why a stream broke (malformed, truncated, limit) after it had side effects, or any limit hit. */
  readonly stop: PickleStop | undefined;
  /** Offset of bytes after the last complete stream that are not another pickle. */
  readonly trailingAt: number | undefined;
}

/**
 * Scans consecutive pickle streams as `pickle.load` called in a loop would read them, continuing after
 * each STOP to the end of the data. Never throws.
 */
export function scanPickleStreams(
  src: ByteSource,
  ctx: VmContext,
  file: FileState,
  options: PickleScanOptions = {},
): PickleScanResult {
  const end = Math.min(options.end ?? src.size, src.size);
  const max = options.maxStreams ?? Number.POSITIVE_INFINITY;
  const streams: StreamResult[] = [];
  let pos = options.start ?? 0;
  while (pos < end && streams.length < max) {
    const res = runStream(src, pos, end, ctx, file);
    if (res.stop) {
      if (res.stop.kind === 'limit')
        return { streams, end: res.end, notPickle: false, stop: res.stop, trailingAt: undefined };
      if (streams.length === 0 && !res.effects) {
        return { streams, end: pos, notPickle: true, stop: res.stop, trailingAt: undefined };
      }
      if (!res.effects) return { streams, end: pos, notPickle: false, stop: undefined, trailingAt: pos };
      return { streams, end: res.end, notPickle: false, stop: res.stop, trailingAt: undefined };
    }
    streams.push(res);
    pos = res.end;
  }
  return {
    streams,
    end: pos,
    notPickle: streams.length === 0,
    stop: undefined,
    trailingAt: pos < end && streams.length < max ? pos : undefined,
  };
}
