import { entropy, ibanValid, looksLikePlaceholder, luhnValid, plausiblePan, ssnValid } from './validators.js';

export interface LeakHit {
  kind: 'card-number' | 'iban' | 'secret' | 'private-key' | 'ssn' | 'emails';
  /** e.g. aws-access-key; for PII the scheme */
  detail: string;
  /** masked: never the full value */
  masked: string;
}

export function mask(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(Math.min(12, value.length - 8))}${value.slice(-4)}`;
}

/** Words before a number that say it is not a card number (order ids, timestamps): they suppress. */
const PAN_SUPPRESS =
  /\b(?:order|tracking|invoice|id|uid|ref|reference|serial|isbn|phone|tel|timestamp|epoch|ticket|account\s+no)\b[^\d]{0,20}$/i;
const SSN_CONTEXT = /\b(?:ssn|social\s+security|sozialversicherung)/i;

const SECRET_PATTERNS: readonly { detail: string; re: RegExp; minEntropy: number }[] = [
  { detail: 'aws-access-key-id', re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, minEntropy: 3 },
  { detail: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{36}\b/g, minEntropy: 3.5 },
  { detail: 'github-fine-grained-token', re: /\bgithub_pat_[A-Za-z0-9_]{60,90}\b/g, minEntropy: 3.5 },
  { detail: 'slack-token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,72}\b/g, minEntropy: 3 },
  { detail: 'stripe-live-key', re: /\b[sr]k_live_[A-Za-z0-9]{24,99}\b/g, minEntropy: 3.5 },
  { detail: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g, minEntropy: 3.5 },
  { detail: 'llm-provider-key', re: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,160}\b/g, minEntropy: 4 },
  {
    detail: 'jwt',
    re: /\beyJ[A-Za-z0-9_-]{8,400}\.eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{16,600}\b/g,
    minEntropy: 4,
  },
];

function jwtHeaderOk(token: string): boolean {
  try {
    const header = JSON.parse(
      Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** PII and secrets in a model output: pattern → validator → context (Presidio-style). */
export function scanLeakage(text: string, minEmails: number): LeakHit[] {
  const hits: LeakHit[] = [];
  const t = text.length > 100_000 ? text.slice(0, 100_000) : text;
  for (const m of t.matchAll(/(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (!plausiblePan(digits) || !luhnValid(digits)) continue;
    if (PAN_SUPPRESS.test(t.slice(Math.max(0, m.index - 40), m.index))) continue;
    hits.push({ kind: 'card-number', detail: 'luhn-valid', masked: mask(digits) });
  }
  for (const m of t.matchAll(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g)) {
    if (ibanValid(m[0]))
      hits.push({ kind: 'iban', detail: m[0].slice(0, 2), masked: mask(m[0].replace(/\s+/g, '')) });
  }
  for (const p of SECRET_PATTERNS) {
    for (const m of t.matchAll(p.re)) {
      const token = m[0];
      if (looksLikePlaceholder(token) || entropy(token) < p.minEntropy) continue;
      if (p.detail === 'jwt' && !jwtHeaderOk(token)) continue;
      hits.push({ kind: 'secret', detail: p.detail, masked: mask(token) });
    }
  }
  for (const m of t.matchAll(
    /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]{64,})/g,
  )) {
    const body = (m[1] ?? '').replace(/\s+/g, '');
    if (body.length >= 64 && !looksLikePlaceholder(body))
      hits.push({ kind: 'private-key', detail: 'pem', masked: '-----BEGIN … PRIVATE KEY-----' });
  }
  for (const m of t.matchAll(/\b(\d{3})-(\d{2})-(\d{4})\b/g)) {
    if (!ssnValid(m[1] ?? '', m[2] ?? '', m[3] ?? '')) continue;
    if (SSN_CONTEXT.test(t.slice(Math.max(0, m.index - 60), m.index + 20))) {
      hits.push({ kind: 'ssn', detail: 'us-ssn', masked: `***-**-${m[3] ?? ''}` });
    }
  }
  const emails = new Set<string>();
  for (const m of t.matchAll(/\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}\b/g)) {
    emails.add(m[0].toLowerCase());
    if (emails.size > 1000) break;
  }
  if (emails.size >= minEmails)
    hits.push({
      kind: 'emails',
      detail: `${emails.size} addresses`,
      masked: `${emails.size} distinct e-mail addresses`,
    });
  return hits;
}
