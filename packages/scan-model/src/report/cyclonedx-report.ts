import { createHash } from 'node:crypto';
import type { FileReport, ScanReport } from '../scan/types.js';

const MODEL_FORMATS = new Set([
  'pickle',
  'joblib',
  'pytorch-zip',
  'pytorch-legacy',
  'torchscript',
  'npz',
  'safetensors',
  'gguf',
  'keras',
  'onnx',
  'hdf5',
]);

function bomRef(file: FileReport): string {
  return `model-file:${file.sha256.slice(0, 16)}:${file.path}`;
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** CycloneDX 1.6 ML-BOM: one component per scanned file (hash, format, verdict) and findings as vulnerabilities. */
export function renderCycloneDx(report: ScanReport, now: Date): Record<string, unknown> {
  const components = report.files.map((f) => ({
    type: MODEL_FORMATS.has(f.format.split('+').pop() ?? f.format) ? 'machine-learning-model' : 'file',
    'bom-ref': bomRef(f),
    name: f.path.split('/').pop() ?? f.path,
    hashes: [{ alg: 'SHA-256', content: f.sha256 }],
    properties: [
      { name: 'atlasguard:file:path', value: f.path },
      { name: 'atlasguard:file:size', value: String(f.size) },
      { name: 'atlasguard:scan:format', value: f.format },
      { name: 'atlasguard:scan:verdict', value: f.verdict },
      { name: 'atlasguard:scan:findings', value: String(f.findings.length) },
    ],
  }));
  const vulnerabilities = report.files.flatMap((f) =>
    f.findings.map((finding, i) => ({
      'bom-ref': `${bomRef(f)}#${String(i)}`,
      id: finding.ruleId,
      source: { name: 'AtlasGuard' },
      ratings: [{ severity: finding.severity, method: 'other' }],
      ...(finding.references?.some((r) => r.label.startsWith('CWE-502')) ? { cwes: [502] } : {}),
      description: `${finding.title}: ${finding.message}`,
      ...(finding.evidence !== undefined ? { detail: finding.evidence } : {}),
      ...(finding.remediation !== undefined ? { recommendation: finding.remediation } : {}),
      affects: [{ ref: bomRef(f) }],
      properties: [
        {
          name: 'atlasguard:location',
          value:
            [finding.location?.member, finding.location?.offset].filter((x) => x !== undefined).join('@') ||
            f.path,
        },
        ...finding.atlas.techniques.map((t) => ({ name: 'atlasguard:atlas:technique', value: t })),
        ...finding.atlas.mitigations.map((m) => ({ name: 'atlasguard:atlas:mitigation', value: m })),
      ],
    })),
  );
  const seed = `${now.toISOString()}|${report.files.map((f) => `${f.path}:${f.sha256}`).join(',')}`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFrom(seed)}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: report.tool.name, version: report.tool.version }] },
      properties: [
        { name: 'atlasguard:atlas:version', value: report.atlasVersion },
        { name: 'atlasguard:scan:profiles', value: report.profiles.join(',') },
      ],
    },
    components,
    ...(vulnerabilities.length > 0 ? { vulnerabilities } : {}),
  };
}
