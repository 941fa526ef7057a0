import type { Question } from './question-schema.js';

/** Questions for the ATLAS mitigations that keep third-party models, data and code trustworthy. */
export const SUPPLY_CHAIN_MITIGATION_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.M0016-1',
    founding: 'framework-updates',
    text:
      'How is a framework update checked for new vulnerabilities? When a lockfile changes (PyTorch, ' +
      'TensorFlow, transformers, MLflow, the serving stack or an agent framework), does CI compare the old ' +
      'and new lockfiles against a vulnerability database, list every added, removed or upgraded package, ' +
      'and block the merge on a known vulnerability at or above the agreed severity or on a newly added ' +
      'package nobody has reviewed?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'A required CI check runs on every lockfile change; it fails on vulnerable versions at or above the ' +
      'threshold; the last framework upgrade pull request shows the report and, where it failed, the fix ' +
      'or a recorded exception with an expiry.',
    evidence:
      'CI configuration of the check, and the output of `atlasguard scan deps NEW_LOCKFILE --previous ' +
      'OLD_LOCKFILE` attached to the last framework upgrade.',
    command: 'scan deps',
    techniques: ['AML.T0011', 'AML.T0011.001', 'AML.T0011.000'],
    mitigations: ['AML.M0016'],
  },
  {
    id: 'Q-AML.M0016-2',
    text:
      'Is every model file that enters the system (pickle, PyTorch .pt/.bin, joblib, NumPy .npy/.npz, ' +
      'Keras, ONNX, GGUF, safetensors) scanned for embedded code-execution payloads before it is loaded ' +
      'anywhere — in CI, at registry intake and on developer machines — and does a malicious or ' +
      'inconclusive verdict block the file?',
    element: 'model',
    persona: 'security',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'Scanning is automatic at every intake point; verdicts other than clean stop the file; the scan ' +
      'result with the file hash is kept with the model version in the registry.',
    evidence:
      'The `atlasguard scan model` JSON (or SARIF) report per model version, stored with the registry entry.',
    command: 'scan model',
    techniques: ['AML.T0011', 'AML.T0011.000'],
    mitigations: ['AML.M0016'],
  },
  {
    id: 'Q-AML.M0014-1',
    text:
      'Is every externally obtained model and dataset pinned to an immutable revision (commit or version) ' +
      'and a sha256, checked against that hash at every download, and scanned before first use — so a ' +
      'publisher or hub account that later swaps the files cannot change what you train or serve?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'No download by branch name or "latest"; each external artifact has a recorded revision and hash; a ' +
      'hash mismatch fails the job; the first-use scan report exists for each pinned artifact.',
    evidence:
      'The manifest or lock of external models and datasets with revisions and hashes, the code that ' +
      'checks them, and `atlasguard scan model` reports for the pinned files.',
    command: 'scan model',
    techniques: ['AML.T0010', 'AML.T0010.002', 'AML.T0019', 'AML.T0002.001', 'AML.T0011', 'AML.T0011.000'],
    mitigations: ['AML.M0014'],
  },
  {
    id: 'Q-AML.M0014-2',
    text:
      'Do deployments and training jobs pull container images by immutable digest (`image@sha256:…`) ' +
      'rather than by tag, with tag overwriting disabled in the registry and push rights limited to CI, so ' +
      'that an image re-pushed under an existing tag never reaches the cluster?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'All manifests reference digests; the registry has immutable tags enabled; only the CI identity can ' +
      'push; an admission policy rejects images not referenced by digest.',
    evidence:
      'Deployment manifests, registry immutability settings and push permissions, and the admission policy.',
    techniques: ['AML.T0010', 'AML.T0010.004'],
    mitigations: ['AML.M0014'],
  },
  {
    id: 'Q-AML.M0023-1',
    text:
      'Is there a machine-readable AI bill of materials for this system (for example a CycloneDX ML-BOM) ' +
      'that lists every model, dataset, framework package, agent tool and MCP server with version, source ' +
      'and hash, regenerated on each release and checked when an advisory names one of its entries?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'The BOM is produced by the release pipeline (not by hand), covers models, data, packages and agent ' +
      'tools, and a recent advisory was matched against it within the agreed response time.',
    evidence: 'The BOM of the current release and the pipeline step that produces it.',
    techniques: [
      'AML.T0010',
      'AML.T0010.005',
      'AML.T0011',
      'AML.T0011.000',
      'AML.T0011.001',
      'AML.T0019',
      'AML.T0020',
      'AML.T0058',
    ],
    mitigations: ['AML.M0023'],
  },
  {
    id: 'Q-AML.M0013-1',
    text:
      'Are model artifacts, serving images and ML libraries built in-house signed at build time (e.g. ' +
      'Sigstore / cosign or registry-native signing), and does the serving platform verify signature and ' +
      'digest before loading, refusing unsigned or wrongly signed artifacts?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Signing runs in the build pipeline with a protected key or keyless identity; verification is ' +
      'enforced at load or admission time; a test with an unsigned artifact is rejected.',
    evidence:
      'Signing step in the pipeline, the verification policy, and the log of a rejected unsigned test artifact.',
    techniques: [
      'AML.T0010.001',
      'AML.T0010.003',
      'AML.T0011.000',
      'AML.T0011.001',
      'AML.T0018',
      'AML.T0018.000',
      'AML.T0018.001',
      'AML.T0018.002',
    ],
    mitigations: ['AML.M0013'],
  },
  {
    id: 'Q-AML.M0011-1',
    text:
      'Do training and serving processes refuse to load code at run time: no `trust_remote_code=True`, ' +
      'PyTorch loading with `weights_only=True` or safetensors only, no pickle/joblib from outside the ' +
      'registry, no package installs at container start, and a read-only root file system?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'A code search finds no remote-code or unsafe-load flags in serving and training code; containers run ' +
      'with a read-only root file system; start-up scripts install nothing.',
    evidence:
      'Code search results for unsafe load calls, the container security context, and `atlasguard scan ' +
      'model` reports showing the served formats.',
    command: 'scan model',
    techniques: ['AML.T0011', 'AML.T0011.000', 'AML.T0011.001', 'AML.T0011.002'],
    mitigations: ['AML.M0011'],
  },
];
