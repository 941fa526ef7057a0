import type { MonitorConfig } from '../config.js';
import { AgentToolDetector } from './agent.js';
import { CostDetector } from './cost.js';
import type { Detector } from './detector.js';
import { DosDetector } from './dos.js';
import { ExtractionDetector } from './extraction.js';
import { InjectionDetector } from './injection.js';
import { LeakageDetector } from './leakage.js';
import { LogprobDetector } from './logprob.js';
import { NearDupDetector } from './neardup.js';
import { VolumeDetector } from './volume.js';

export const DETECTOR_IDS = [
  'volume',
  'cost',
  'dos',
  'extraction',
  'neardup',
  'logprob',
  'injection',
  'leakage',
  'agent-tools',
] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];
/** Detectors that read only metadata and fingerprints (no message content). */
export const METADATA_DETECTORS: readonly DetectorId[] = [
  'volume',
  'cost',
  'dos',
  'extraction',
  'neardup',
  'logprob',
];

/** The built-in detectors, in evaluation order (injection before agent-tools: it raises the suspicion). */
export function createDetectors(config: MonitorConfig, only?: readonly string[]): Detector[] {
  const all: Detector[] = [
    new VolumeDetector(config),
    new CostDetector(config),
    new DosDetector(config),
    new ExtractionDetector(config),
    new NearDupDetector(config),
    new LogprobDetector(config),
    new InjectionDetector(config),
    new LeakageDetector(config),
    new AgentToolDetector(config),
  ];
  return only === undefined ? all : all.filter((d) => only.includes(d.id));
}
