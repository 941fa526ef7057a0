import type { Collector } from '../scan/collector.js';

/** Jinja constructs that reach Python internals from a template (server-side template injection). */
const SSTI: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /__(class|mro|subclasses|globals|builtins|init|base|bases|import|getattribute|dict|code)__/,
    'dunder attribute access',
  ],
  [/\|\s*attr\s*\(/, 'the attr filter builds attribute names from strings'],
  [
    /\b(cycler|joiner|lipsum|self|config|request|url_for|get_flashed_messages)\s*[.([]/,
    'a Jinja global that exposes Python objects',
  ],
  [/\b(os|subprocess|popen|eval|exec|system)\s*[.(]/, 'a code-running name'],
  [/\[\s*['"]_[_a-z]*['"]\s*\]/, 'subscript access to a private name'],
  [/\\x5f\\x5f|\\u005f/, 'escaped underscores hiding dunder names'],
];

/** Checks one chat template (GGUF metadata or tokenizer_config.json). */
export function checkChatTemplate(
  template: string,
  c: Collector,
  member: string | undefined,
  key: string,
): void {
  for (const [re, why] of SSTI) {
    const m = re.exec(template);
    if (m) {
      const start = Math.max(0, m.index - 30);
      c.add(
        'AG-MODEL-GGUF-TEMPLATE',
        'high',
        'Chat template with template-injection constructs',
        `${key} uses ${why}; rendering it with an unsandboxed Jinja environment runs code`,
        { member },
        {
          evidence: template.slice(start, m.index + m[0].length + 30).replace(/\s+/g, ' '),
          refs: ['CVE-2024-34359'],
        },
      );
      return;
    }
  }
}
