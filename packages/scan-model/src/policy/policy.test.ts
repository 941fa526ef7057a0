import { describe, expect, it } from 'vitest';
import { P } from '../test-support/pickle-builder.js';
import { scanBytes } from '../test-support/scan-bytes.js';
import { ALLOW_PROFILES, DEFAULT_PROFILES, PROFILE_IDS, type ProfileId } from './allow-profiles.js';
import { DENY_RULES } from './deny-list.js';
import { Policy } from './policy.js';

/** A protocol-4 pickle that imports `full` and uses it the way its kind allows. */
function usePickle(full: string, kind: 'class' | 'function' | 'constant'): Uint8Array {
  if (full === 'copyreg._reconstructor') {
    // Its real shape: rebuild an allowed class on top of object.
    return P()
      .proto(4)
      .stackGlobal('copyreg', '_reconstructor')
      .stackGlobal('collections', 'OrderedDict')
      .stackGlobal('builtins', 'object')
      .none()
      .tuple3()
      .reduce()
      .stop()
      .done();
  }
  const dot = full.lastIndexOf('.');
  const b = P()
    .proto(4)
    .stackGlobal(full.slice(0, dot), full.slice(dot + 1));
  if (kind !== 'constant') b.emptyTuple().reduce();
  return b.stop().done();
}

describe('allow-list profiles', () => {
  for (const id of PROFILE_IDS) {
    it(`every entry of "${id}" is justified and scans clean with its profile`, () => {
      const profiles: ProfileId[] = [...new Set<ProfileId>([...DEFAULT_PROFILES, id])];
      for (const entry of ALLOW_PROFILES[id]) {
        expect(entry.why.length, entry.name).toBeGreaterThan(10);
        const report = scanBytes(usePickle(entry.name, entry.kind), 'e.pkl', profiles);
        expect(
          report.verdict,
          `${entry.name}: ${JSON.stringify(report.findings.map((f) => f.message))}`,
        ).toBe('clean');
      }
    });
  }

  it('opt-in entries are not clean without their profile (default-deny)', () => {
    for (const id of PROFILE_IDS.filter((p) => !DEFAULT_PROFILES.includes(p))) {
      for (const entry of ALLOW_PROFILES[id]) {
        if (
          new Policy().classify(
            entry.name.slice(0, entry.name.lastIndexOf('.')),
            entry.name.slice(entry.name.lastIndexOf('.') + 1),
          ).allow
        )
          continue;
        expect(scanBytes(usePickle(entry.name, entry.kind), 'e.pkl').verdict, entry.name).not.toBe('clean');
      }
    }
  });

  it('a constant entry may be read but not called', () => {
    const report = scanBytes(usePickle('torch.float32', 'function'), 'c.pkl');
    expect(report.findings.map((f) => f.ruleId)).toContain('AG-MODEL-PICKLE-CONSTANT-CALLED');
  });
});

describe('deny-list severity labels', () => {
  it('every rule labels its prefix critical or high, with advisory IDs in the GHSA/CVE format', () => {
    const policy = new Policy();
    for (const rule of DENY_RULES) {
      const dot = rule.prefix.lastIndexOf('.');
      const [module, name] =
        dot < 0 ? [rule.prefix, 'anything'] : [rule.prefix.slice(0, dot), rule.prefix.slice(dot + 1)];
      const verdict = policy.classify(module, name);
      expect(verdict.allow, rule.prefix).toBeUndefined();
      expect(['critical', 'high'], rule.prefix).toContain(verdict.severity);
      for (const ref of rule.refs ?? [])
        expect(ref).toMatch(/^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d{4,})$/);
    }
  });

  it('matches every prefix and dotted alias chains', () => {
    const policy = new Policy();
    expect(policy.classify('os.path', 'join').severity).toBe('critical');
    expect(policy.classify('random', '_os.system').severity).toBe('critical');
    expect(policy.classify('pathlib', 'os.system').severity).toBe('critical');
    expect(policy.classify('__builtin__', 'eval').full).toBe('builtins.eval');
    expect(policy.classify('mypkg', 'Thing').severity).toBe('medium');
  });
});
