import { createHash } from 'node:crypto';
import type { Severity } from '@atlasguard/core';
import type { ResolvedPackage } from '../manifest/types.js';
import type { ScanDepsResult, VulnSummary } from '../scan-deps.js';
import type { ReportContext } from './report-context.js';

/** Package URL of a resolved package (`pkg:pypi/name@v`, `pkg:npm/%40scope/name@v`). */
export function purlOf(p: ResolvedPackage): string {
  const version = p.version !== undefined ? `@${encodeURIComponent(p.version)}` : '';
  if (p.ecosystem === 'npm') {
    const scoped = /^@([^/]+)\/(.+)$/.exec(p.name);
    const path = scoped
      ? `%40${encodeURIComponent(scoped[1] ?? '')}/${encodeURIComponent(scoped[2] ?? '')}`
      : encodeURIComponent(p.name);
    return `pkg:npm/${path}${version}`;
  }
  if (p.ecosystem === 'conda') return `pkg:conda/${encodeURIComponent(p.name)}${version}`;
  return `pkg:pypi/${encodeURIComponent(p.name)}${version}`;
}

const ALG: Record<string, { alg: string; hexLength: number }> = {
  md5: { alg: 'MD5', hexLength: 32 },
  sha1: { alg: 'SHA-1', hexLength: 40 },
  sha256: { alg: 'SHA-256', hexLength: 64 },
  sha384: { alg: 'SHA-384', hexLength: 96 },
  sha512: { alg: 'SHA-512', hexLength: 128 },
};

/** `sha256:hex` or npm SRI `sha512-base64` → CycloneDX hash objects (hex content). */
function cdxHashes(p: ResolvedPackage): Array<{ alg: string; content: string }> {
  const out = new Map<string, { alg: string; content: string }>();
  for (const h of p.artifacts.flatMap((a) => a.hashes)) {
    let algo: string | undefined;
    let hex: string | undefined;
    const colon = /^([a-z0-9]+):([0-9a-f]+)$/i.exec(h);
    const sri = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(h);
    if (colon) [algo, hex] = [colon[1]?.toLowerCase(), colon[2]?.toLowerCase()];
    else if (sri) [algo, hex] = [sri[1], Buffer.from(sri[2] ?? '', 'base64').toString('hex')];
    const spec = algo !== undefined ? ALG[algo] : undefined;
    if (spec === undefined || hex?.length !== spec.hexLength) continue;
    out.set(`${spec.alg}:${hex}`, { alg: spec.alg, content: hex });
  }
  // One hash per algorithm keeps the SBOM about the resolved artifact set, sorted for stable output.
  return [...out.values()].sort((a, b) => a.alg.localeCompare(b.alg) || a.content.localeCompare(b.content));
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** CycloneDX rating method of a scored vector. */
function cvssMethod(vector: string | undefined): string {
  if (vector?.startsWith('CVSS:4.0/') === true) return 'CVSSv4';
  if (vector?.startsWith('CVSS:3.0/') === true) return 'CVSSv3';
  return 'CVSSv31';
}

function rating(severity: Severity): string {
  return severity === 'info' ? 'info' : severity;
}

/**
 * A CycloneDX 1.6 JSON SBOM of the resolved set (AI bill of materials, ATLAS AML.M0023): components with
 * purls and hashes, the direct-dependency graph of the project, and the matched vulnerabilities.
 */
export function cyclonedxBom(result: ScanDepsResult, ctx: ReportContext): Record<string, unknown> {
  const m = result.manifest;
  const components = new Map<string, Record<string, unknown>>();
  for (const p of [...m.packages, ...m.notCovered]) {
    const purl = purlOf(p);
    if (components.has(purl)) continue;
    const hashes = cdxHashes(p);
    const url = p.source.url;
    components.set(purl, {
      type: 'library',
      'bom-ref': purl,
      name: p.displayName,
      ...(p.version !== undefined ? { version: p.version } : {}),
      purl,
      scope: p.dev === true ? 'optional' : 'required',
      ...(hashes.length > 0 ? { hashes } : {}),
      ...(url !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(url)
        ? { externalReferences: [{ type: p.source.kind === 'vcs' ? 'vcs' : 'distribution', url }] }
        : {}),
      properties: [
        { name: 'atlasguard:direct', value: String(p.direct) },
        ...(p.sdistOnly === true ? [{ name: 'atlasguard:sdist-only', value: 'true' }] : []),
      ],
    });
  }
  const rootRef = 'atlasguard:root';
  const direct = [...new Set(m.packages.filter((p) => p.direct).map(purlOf))].sort();
  const vulnList: VulnSummary[] = [...result.vulnerabilities.introduced, ...result.vulnerabilities.present];
  const vulnerabilities = new Map<string, Record<string, unknown>>();
  for (const v of vulnList) {
    const pkg = m.packages.find((p) => p.displayName === v.package && (p.version ?? '') === v.version);
    if (pkg === undefined) continue;
    const ref = purlOf(pkg);
    const existing = vulnerabilities.get(v.id);
    if (existing !== undefined) {
      (existing.affects as Array<{ ref: string }>).push({ ref });
      continue;
    }
    vulnerabilities.set(v.id, {
      'bom-ref': `vuln:${v.id}`,
      id: v.id,
      source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(v.id)}` },
      ...(v.aliases.length > 0
        ? {
            references: v.aliases.map((a) => ({
              id: a,
              source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(a)}` },
            })),
          }
        : {}),
      ratings: [
        {
          severity: rating(v.severity),
          ...(v.score !== undefined
            ? {
                score: v.score,
                method: cvssMethod(v.vector),
                ...(v.vector !== undefined ? { vector: v.vector } : {}),
              }
            : { method: 'other' }),
        },
      ],
      description: v.summary,
      ...(v.fixedIn[0] !== undefined ? { recommendation: `Upgrade to ${v.fixedIn[0]} or later.` } : {}),
      affects: [{ ref }],
    });
  }
  const serial = uuidFrom(`${result.input.path}\n${[...components.keys()].join('\n')}`);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${serial}`,
    version: 1,
    metadata: {
      timestamp: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: ctx.tool.name, version: ctx.tool.version }] },
      component: { type: 'application', 'bom-ref': rootRef, name: result.input.path },
      properties: [
        { name: 'atlasguard:input-format', value: result.input.format },
        { name: 'atlasguard:osv-digest', value: result.osv.digest },
      ],
    },
    components: [...components.values()],
    dependencies: [{ ref: rootRef, dependsOn: direct }],
    ...(vulnerabilities.size > 0 ? { vulnerabilities: [...vulnerabilities.values()] } : {}),
  };
}

export function writeCycloneDx(result: ScanDepsResult, ctx: ReportContext): string {
  return `${JSON.stringify(cyclonedxBom(result, ctx), null, 2)}\n`;
}
