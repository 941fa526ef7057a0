import type { Collector, Where } from '../scan/collector.js';
import type { ByteSource } from '../source/byte-source.js';
import { checkChatTemplate } from './chat-template.js';
import { checkRemoteCode } from './remote-code.js';
import type { SiblingLookup } from '../scan/node.js';

const MAX_JSON = 64 * 1024 * 1024;

function readJson(body: ByteSource): unknown {
  if (body.size > MAX_JSON) return undefined;
  try {
    return JSON.parse(Buffer.from(body.read(0, body.size)).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function* walk(value: unknown, path: string, depth = 0): Generator<[string, Record<string, unknown>]> {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walk(value[i], `${path}/${String(i)}`, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  yield [path, obj];
  for (const [k, v] of Object.entries(obj))
    yield* walk(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
}

/** Keras v3 config.json: Lambda layers, classes from modules outside Keras, known CVE shapes. */
export function checkKerasConfig(body: ByteSource, c: Collector, member: string | undefined): void {
  const json = readJson(body);
  if (json === undefined) {
    c.inconclusiveBecause('Keras config.json is not valid JSON', { member });
    return;
  }
  checkKerasJson(json, c, { member });
}

/**
 * The Keras checks on an already parsed model config (from `.keras` config.json, an H5 `model_config` attribute or
 * SavedModel Keras metadata). `prefix` names where the JSON came from in the evidence path.
 */
export function checkKerasJson(json: unknown, c: Collector, where: Where, prefix = ''): void {
  for (const [path0, obj] of walk(json, '')) {
    const path = `${prefix}${path0}`;
    const cls = obj.class_name;
    const module = obj.module;
    if (cls === 'Lambda') {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        'high',
        'Keras Lambda layer',
        'a Lambda layer carries Python bytecode or source that runs when the model is loaded or called',
        where,
        { evidence: path, refs: ['CVE-2024-3660'] },
      );
    }
    if (cls === 'TorchModuleWrapper') {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        'high',
        'Keras TorchModuleWrapper',
        'wraps a pickled PyTorch module that is unpickled on load',
        where,
        { evidence: path, refs: ['CVE-2025-49655'] },
      );
    }
    if (typeof module === 'string' && !/^keras(\.|$)/.test(module) && typeof cls === 'string') {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        module.startsWith('tensorflow') ? 'medium' : 'high',
        'Keras object from a module outside Keras',
        `${module}.${cls} is imported while loading the model`,
        where,
        { evidence: path, refs: ['CVE-2025-1550'] },
      );
    }
    for (const v of Object.values(obj)) {
      if (typeof v === 'string' && /get_file|enable_unsafe_deserialization/.test(v)) {
        c.add(
          'AG-MODEL-HF-REMOTE-CODE',
          'high',
          'Keras config calls a risky Keras function',
          `"${v}" downloads files or disables safe mode`,
          where,
          { evidence: path, refs: ['CVE-2025-8747', 'CVE-2025-9906'] },
        );
      }
    }
  }
}

/** Hugging Face repo metadata: auto_map (trust_remote_code) and chat templates. */
export function checkJsonMetadata(
  body: ByteSource,
  name: string,
  c: Collector,
  member: string | undefined,
  siblings?: SiblingLookup,
): string {
  const base = name.split('/').pop() ?? name;
  const json = readJson(body);
  if (json === undefined || typeof json !== 'object' || json === null) return 'json';
  const obj = json as Record<string, Json>;
  if ('auto_map' in obj) {
    const refs = JSON.stringify(obj.auto_map).slice(0, 200);
    c.add(
      'AG-MODEL-HF-REMOTE-CODE',
      'medium',
      'Model needs trust_remote_code',
      `${base} maps model classes to Python files in the repository (auto_map): loading it with trust_remote_code=True runs that code`,
      { member },
      { evidence: refs },
    );
    checkRemoteCode(obj.auto_map, c, { member }, siblings, base);
  }
  const template = obj.chat_template;
  if (typeof template === 'string') checkChatTemplate(template, c, member, 'chat_template');
  else if (Array.isArray(template)) {
    for (const t of template) {
      if (t && typeof t === 'object' && !Array.isArray(t) && typeof t.template === 'string')
        checkChatTemplate(t.template, c, member, 'chat_template');
    }
  }
  if (base === 'config.json' && typeof obj.class_name === 'string') checkKerasConfig(body, c, member);
  return 'json';
}
