import type { Reference } from '@atlasguard/core/findings';

/** ATLAS mapping and advice for one family of rules. */
export interface RuleInfo {
  readonly techniques: readonly string[];
  readonly mitigations: readonly string[];
  readonly remediation: string;
  readonly cwe502?: boolean;
}

/** AML.T0011.000 unsafe AI artifacts, AML.T0010.003 supply chain: model, AML.T0018.002 embed malware. */
const CODE_EXEC: RuleInfo = {
  techniques: ['AML.T0011.000', 'AML.T0010.003', 'AML.T0018.002'],
  mitigations: ['AML.M0014', 'AML.M0016', 'AML.M0011'],
  remediation:
    'Do not load this file with pickle, torch.load(weights_only=False), joblib or numpy allow_pickle. ' +
    'Get the model from a trusted source, prefer safetensors, and verify its sha256.',
  cwe502: true,
};
const STRUCTURE: RuleInfo = {
  techniques: ['AML.T0010.003', 'AML.T0011.000'],
  mitigations: ['AML.M0014', 'AML.M0016'],
  remediation: 'Treat the artifact as tampered: re-download it from the publisher and compare its sha256.',
};
const UNVERIFIED: RuleInfo = {
  techniques: ['AML.T0010.003'],
  mitigations: ['AML.M0014'],
  remediation:
    'The scan could not finish: raise the limit, convert the artifact to a format the scanner reads, or ' +
    'review it by hand before loading it.',
};
const TEMPLATE: RuleInfo = {
  techniques: ['AML.T0011.000', 'AML.T0010.003'],
  mitigations: ['AML.M0014', 'AML.M0016'],
  remediation: 'Remove or rewrite the chat template; render templates only in a sandboxed Jinja environment.',
};

const TF_GRAPH: RuleInfo = {
  techniques: ['AML.T0011.000', 'AML.T0010.003'],
  mitigations: ['AML.M0014', 'AML.M0016'],
  remediation:
    'Do not load or serve this graph as it is: get the model from a trusted source, or rebuild it without ' +
    'file, Python or network ops, and verify its sha256.',
};

const RULES: Readonly<Record<string, RuleInfo>> = {
  'AG-MODEL-PICKLE-DANGEROUS-GLOBAL': CODE_EXEC,
  'AG-MODEL-PICKLE-UNLISTED-GLOBAL': CODE_EXEC,
  'AG-MODEL-PICKLE-DYNAMIC-GLOBAL': CODE_EXEC,
  'AG-MODEL-PICKLE-GLOBAL-MUTATION': CODE_EXEC,
  'AG-MODEL-PICKLE-COMPUTED-CALL': CODE_EXEC,
  'AG-MODEL-PICKLE-CONSTANT-CALLED': CODE_EXEC,
  'AG-MODEL-PICKLE-UNEXPECTED-BUILD': CODE_EXEC,
  'AG-MODEL-PICKLE-EXTENSION-CODE': CODE_EXEC,
  'AG-MODEL-PICKLE-PERSISTENT-ID': CODE_EXEC,
  'AG-MODEL-PICKLE-FRAME': CODE_EXEC,
  'AG-MODEL-PICKLE-MISPLACED-PROTO': STRUCTURE,
  'AG-MODEL-PICKLE-TRAILING-DATA': STRUCTURE,
  'AG-MODEL-PICKLE-EMBEDDED-PAYLOAD': CODE_EXEC,
  'AG-MODEL-PICKLE-MALFORMED': CODE_EXEC,
  'AG-MODEL-TORCH-LEGACY-MAGIC': CODE_EXEC,
  'AG-MODEL-TORCHSCRIPT-CODE': CODE_EXEC,
  'AG-MODEL-TORCH-STORAGE': STRUCTURE,
  'AG-MODEL-ZIP-STRUCTURE': STRUCTURE,
  'AG-MODEL-ZIP-PATH': STRUCTURE,
  'AG-MODEL-ZIP-DUPLICATE': STRUCTURE,
  'AG-MODEL-ZIP-OVERLAP': STRUCTURE,
  'AG-MODEL-ZIP-FLAGS': STRUCTURE,
  'AG-MODEL-ZIP-BOMB': STRUCTURE,
  'AG-MODEL-POLYGLOT': CODE_EXEC,
  'AG-MODEL-EXTENSION-MISMATCH': STRUCTURE,
  'AG-MODEL-NPY-HEADER': STRUCTURE,
  'AG-MODEL-SAFETENSORS-HEADER': STRUCTURE,
  'AG-MODEL-GGUF-HEADER': STRUCTURE,
  'AG-MODEL-GGUF-TEMPLATE': TEMPLATE,
  'AG-MODEL-HF-REMOTE-CODE': CODE_EXEC,
  'AG-MODEL-TAR-STRUCTURE': STRUCTURE,
  'AG-MODEL-TF-OP': TF_GRAPH,
  'AG-MODEL-TF-CUSTOM-OP': TF_GRAPH,
  'AG-MODEL-INCONCLUSIVE': UNVERIFIED,
};

export function ruleInfo(ruleId: string): RuleInfo {
  return RULES[ruleId] ?? STRUCTURE;
}

export function allRuleIds(): readonly string[] {
  return Object.keys(RULES);
}

const CWE502: Reference = {
  label: 'CWE-502: Deserialization of Untrusted Data',
  url: 'https://cwe.mitre.org/data/definitions/502.html',
};

/** Links for CVE/GHSA identifiers, plus CWE-502 for deserialisation rules. */
export function referencesFor(ruleId: string, ids: readonly string[]): Reference[] {
  const refs: Reference[] = [];
  if (ruleInfo(ruleId).cwe502) refs.push(CWE502);
  for (const id of ids) {
    if (id.startsWith('GHSA-')) refs.push({ label: id, url: `https://github.com/advisories/${id}` });
    else if (id.startsWith('CVE-')) refs.push({ label: id, url: `https://nvd.nist.gov/vuln/detail/${id}` });
  }
  return refs;
}
