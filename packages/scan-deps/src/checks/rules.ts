import type { Finding, Severity } from '@atlasguard/core';

/** A dependency rule: what it detects and the ATLAS techniques and mitigations it maps to. */
export interface DepsRule {
  id: string;
  title: string;
  techniques: string[];
  mitigations: string[];
  remediation: string;
}

const AI_SOFTWARE = 'AML.T0010.001';
const MALICIOUS_PACKAGE = 'AML.T0011.001';
const VERIFY_ARTIFACTS = 'AML.M0014';
const VULN_SCANNING = 'AML.M0016';
const AIBOM = 'AML.M0023';

/** The torchtriton dependency-confusion incident. */
export const TORCHTRITON_CASE_STUDY = 'AML.CS0015';

export const RULES = {
  malicious: {
    id: 'deps/malicious-package',
    title: 'Malicious package',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VULN_SCANNING, VERIFY_ARTIFACTS],
    remediation:
      'Remove the package, treat every machine that installed it as compromised (rotate credentials), and pin hashes.',
  },
  vulnerable: {
    id: 'deps/known-vulnerability',
    title: 'Known vulnerability',
    techniques: [AI_SOFTWARE],
    mitigations: [VULN_SCANNING],
    remediation: 'Upgrade to a fixed version, or document why the vulnerable code path is not reachable.',
  },
  hashChanged: {
    id: 'deps/artifact-hash-changed',
    title: 'Same version, different artifact hash',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Do not install: find out why the published file changed (re-upload, mirror or index swap) before accepting the new hash.',
  },
  sourceChanged: {
    id: 'deps/source-changed',
    title: 'Package now comes from a different index or source',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Confirm the new index or repository is intended and trusted; pin the package to one explicit index.',
  },
  extraIndex: {
    id: 'deps/extra-index-url',
    title: 'Extra package index merged with the public one',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Use a single --index-url that proxies the public index, or explicit per-package indexes (uv `explicit = true`, Poetry `priority = "explicit"`), and require hashes.',
  },
  confusion: {
    id: 'deps/dependency-confusion',
    title: 'Private or vendor-index package name also exists on the public index',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Bind the package to its index explicitly and pin its hash; never let the installer choose between indexes by version number.',
  },
  exposure: {
    id: 'deps/confusion-exposure',
    title: 'Private-looking package installable from the public index',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Bind the package to your index (uv `[tool.uv.sources]` with an `explicit = true` index, Poetry `source = ...` with `priority = "explicit"`, or a single --index-url that proxies the public one), pin it with --hash, and register the name on the public index as a placeholder.',
  },
  typosquat: {
    id: 'deps/typosquat',
    title: 'Name imitates a popular ML/LLM package',
    techniques: [AI_SOFTWARE, MALICIOUS_PACKAGE],
    mitigations: [VERIFY_ARTIFACTS, VULN_SCANNING],
    remediation:
      'Check the spelling against the project you meant to install; remove the package if it is not the intended one.',
  },
  sdistOnly: {
    id: 'deps/sdist-only',
    title: 'Source-only package runs build code at install time',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Prefer a version with wheels, or build it once in an isolated environment and pin the built artifact.',
  },
  unpinned: {
    id: 'deps/unpinned',
    title: 'Requirement not pinned to an exact version',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS, AIBOM],
    remediation:
      'Pin with == (or use a lockfile) so that updates are reviewed rather than picked up silently.',
  },
  unhashed: {
    id: 'deps/unhashed',
    title: 'Requirement without an artifact hash',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation:
      'Add --hash=sha256:... for every requirement (pip --require-hashes) or use a lockfile that records hashes.',
  },
  mutableRef: {
    id: 'deps/mutable-vcs-ref',
    title: 'VCS dependency on a branch or tag, not a commit',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation: 'Pin the repository to a full commit hash.',
  },
  unverifiedUrl: {
    id: 'deps/unverified-url',
    title: 'Direct URL dependency without a hash',
    techniques: [AI_SOFTWARE],
    mitigations: [VERIFY_ARTIFACTS],
    remediation: 'Add a #sha256= fragment or --hash so that a changed file is refused.',
  },
  downgrade: {
    id: 'deps/downgrade',
    title: 'Package downgraded',
    techniques: [AI_SOFTWARE],
    mitigations: [VULN_SCANNING],
    remediation: 'Confirm the downgrade is intended; older versions can bring back fixed vulnerabilities.',
  },
  notCovered: {
    id: 'deps/not-covered',
    title: 'Packages outside the vulnerability data (conda)',
    techniques: [AI_SOFTWARE],
    mitigations: [AIBOM],
    remediation: 'Check conda packages with a conda-aware scanner, or install them from PyPI where possible.',
  },
  uncertainVersion: {
    id: 'deps/unmatched-version',
    title: 'Version could not be compared with advisory ranges',
    techniques: [AI_SOFTWARE],
    mitigations: [VULN_SCANNING],
    remediation: 'Use a standard version (PEP 440 / SemVer) so that advisories can be matched.',
  },
} as const satisfies Record<string, DepsRule>;

export type RuleKey = keyof typeof RULES;

/** Builds a Finding for a rule (element: platform — frameworks and their dependencies). */
export function finding(
  key: RuleKey,
  severity: Severity,
  fields: Pick<Finding, 'message'> &
    Partial<Pick<Finding, 'title' | 'location' | 'evidence' | 'remediation' | 'references' | 'confidence'>>,
): Finding {
  const rule: DepsRule = RULES[key];
  return {
    ruleId: rule.id,
    title: fields.title ?? rule.title,
    severity,
    ...(fields.confidence !== undefined ? { confidence: fields.confidence } : {}),
    element: 'platform',
    atlas: { techniques: [...rule.techniques], mitigations: [...rule.mitigations] },
    ...(fields.location !== undefined ? { location: fields.location } : {}),
    message: fields.message,
    ...(fields.evidence !== undefined ? { evidence: fields.evidence } : {}),
    remediation: fields.remediation ?? rule.remediation,
    ...(fields.references !== undefined ? { references: fields.references } : {}),
  };
}
