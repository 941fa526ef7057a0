/**
 * A deterministic, realistic N-asset system model for the assessment benchmark: a platform team's estate of
 * many models (classifiers, LLM agents with RAG and MCP tools, vision models), their data, platforms and
 * environments, with flows, mitigations, answers and decisions.
 */
export function generateModel(assets: number): string {
  const nEnv = Math.max(1, Math.round(assets * 0.1));
  const nPlatform = Math.max(1, Math.round(assets * 0.2));
  const nModel = Math.max(1, Math.round(assets * 0.3));
  const nData = Math.max(1, assets - nEnv - nPlatform - nModel);
  const L: string[] = [
    'atlasguard: 1',
    'system:',
    '  id: bench-estate',
    '  name: Generated AI estate',
    '  sector: finance',
    '  criticality: high',
    '  dataClasses: [pii, pci, trade-secrets]',
    '  regulations: [PCI DSS, GDPR]',
    'environment:',
  ];
  const envKinds = ['cloud-account', 'cluster', 'vm', 'on-prem', 'registry', 'ci-cd', 'workstation'];
  const exposures = ['internet', 'partner', 'internal', 'internal', 'air-gapped'];
  for (let i = 0; i < nEnv; i++) {
    L.push(
      `  - id: env-${String(i)}`,
      `    kind: ${envKinds[i % envKinds.length] ?? 'vm'}`,
      `    exposure: ${exposures[i % exposures.length] ?? 'internal'}`,
    );
    L.push(
      `    identity: ${i % 3 === 0 ? 'shared-accounts' : 'sso-mfa'}`,
      `    secrets: ${i % 4 === 0 ? 'env-vars' : 'vault'}`,
    );
  }
  L.push('platform:');
  const platformKinds = [
    'mlflow',
    'serving',
    'vector-db',
    'llm-gateway',
    'mcp-server',
    'jupyter',
    'kubeflow',
    'ray',
    'agent-framework',
    'feature-store',
  ];
  for (let i = 0; i < nPlatform; i++) {
    L.push(
      `  - id: plat-${String(i)}`,
      `    kind: ${platformKinds[i % platformKinds.length] ?? 'serving'}`,
      `    version: "1.${String(i)}.0"`,
    );
    L.push(
      `    exposure: ${exposures[i % exposures.length] ?? 'internal'}`,
      `    auth: ${i % 5 === 0 ? 'none' : 'token'}`,
    );
    L.push(
      `    runsOn: [env-${String(i % nEnv)}]`,
      `    source: ${i % 2 === 0 ? 'open-source' : 'in-house'}`,
      `    pinned: ${i % 3 === 0 ? 'false' : 'true'}`,
    );
  }
  L.push('model:');
  const tasks = ['classifier', 'llm', 'vision', 'detector', 'embedding', 'llm'];
  const provenances = ['in-house', 'fine-tuned-open-weights', 'third-party-api', 'public-hub', 'in-house'];
  const access = ['public-api', 'authenticated-api', 'internal', 'partner-api', 'on-device'];
  for (let i = 0; i < nModel; i++) {
    const task = tasks[i % tasks.length] ?? 'classifier';
    const llm = task === 'llm';
    L.push(
      `  - id: model-${String(i)}`,
      `    task: ${task}`,
      `    provenance: ${provenances[i % provenances.length] ?? 'in-house'}`,
    );
    L.push(
      `    format: ${i % 4 === 0 ? 'pickle' : 'safetensors'}`,
      `    access: ${access[i % access.length] ?? 'internal'}`,
    );
    L.push(
      `    outputs: [${llm ? 'text' : i % 2 === 0 ? 'scores' : 'labels'}]`,
      `    servedBy: [plat-${String(i % nPlatform)}]`,
    );
    if (!llm) L.push(`    trainedOn: [data-${String(i % nData)}]`);
    if (i % 7 === 0) L.push('    purpose: fraud-detection');
    if (llm) {
      L.push(
        `    rag: [{ data: data-${String((i + 1) % nData)}, trust: ${i % 2 === 0 ? 'untrusted' : 'internal'} }]`,
      );
      L.push('    agency:', '      tools:', '        - { name: act, kind: ticketing, sideEffects: true }');
      L.push(`      mcpServers: [plat-${String(4 % nPlatform)}]`, '      memory: session');
      L.push('    systemPrompt: { present: true }');
    }
  }
  L.push('data:');
  const roles = ['training', 'rag-corpus', 'inference-input', 'logs', 'fine-tuning', 'feedback'];
  const sources = ['internal', 'public-web', 'vendor', 'user-generated', 'public-hub'];
  const sens = ['pii', 'pci', 'public', 'trade-secrets', 'credentials'];
  for (let i = 0; i < nData; i++) {
    L.push(
      `  - id: data-${String(i)}`,
      `    role: ${roles[i % roles.length] ?? 'training'}`,
      `    source: ${sources[i % sources.length] ?? 'internal'}`,
    );
    L.push(
      `    sensitivity: [${sens[i % sens.length] ?? 'public'}]`,
      `    storedIn: [env-${String(i % nEnv)}]`,
    );
  }
  L.push(
    'actors:',
    '  - { id: customers, kind: customers }',
    '  - { id: staff, kind: employees }',
    '  - { id: partners, kind: partners }',
  );
  L.push('flows:');
  for (let i = 0; i < assets; i++) {
    L.push(
      `  - { from: ${i % 2 === 0 ? 'customers' : 'staff'}, to: model-${String(i % nModel)}, data: [data-${String(i % nData)}], crossesTrustBoundary: ${i % 2 === 0 ? 'true' : 'false'} }`,
    );
  }
  L.push('mitigations:');
  for (let m = 0; m < 35; m += 2) {
    L.push(
      `  - { id: AML.M${String(m).padStart(4, '0')}, status: ${m % 4 === 0 ? 'implemented' : 'partial'}, scope: [model-${String(m % nModel)}] }`,
    );
  }
  L.push('answers:', '  - { question: Q-AML.M0007-1, answer: yes, date: 2026-10-01 }');
  L.push(
    'decisions:',
    '  - { technique: AML.T0029, decision: accept, approver: CISO, reason: budgeted, expires: 2027-01-01 }',
  );
  return `${L.join('\n')}\n`;
}
