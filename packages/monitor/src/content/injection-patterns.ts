/** Phrase families for injection, jailbreak and system-prompt extraction, written for normalised text. */
export type InjectionCategory =
  'override' | 'jailbreak' | 'system-prompt' | 'role-tags' | 'exfil-markup' | 'tool-coercion';

export interface PhraseFamily {
  id: string;
  category: InjectionCategory;
  /** 1 = enough on its own; smaller weights need a second family to reach 1 */
  weight: number;
  pattern: RegExp;
}

const DOC_NOUNS = String.raw`(?:readme|docs?|documentation|manual|file|email|e-mail|ticket|page|guide|recipe|wiki|spec|article|document|changelog|form|package|box)`;
const W = String.raw`(?:[\p{L}\p{N}'-]+\s+)`;
/** words allowed between the adjective and the noun ("previous system safety instructions") */
const MOD = String.raw`(?:(?:ai|assistant|system|safety|security|given|original|developer|initial|and|or|your|the|set\s+of)\s+)`;

export const PHRASE_FAMILIES: readonly PhraseFamily[] = [
  {
    id: 'override-en',
    category: 'override',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\s+(?:all\s+|any\s+|each\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+|that\s+)?(?:previous|prior|above|earlier|preceding|original|initial|system|old|former|foregoing)\s+${MOD}{0,2}(?:instructions?|prompts?|rules|directions?|guidelines|commands?|orders|directives)\b(?!\s+(?:in|from|of|on)\s+(?:the|this|that|my|our)\s+${DOC_NOUNS})`,
      'u',
    ),
  },
  {
    id: 'override-everything',
    category: 'override',
    weight: 0.6,
    pattern:
      /\b(?:ignore|forget|disregard)\s+(?:everything|all)\s+(?:above|before|(?:that\s+)?(?:i|we|you)\s+(?:said|told|wrote|have been told|were told))\b/u,
  },
  {
    id: 'new-instructions',
    category: 'override',
    weight: 0.6,
    pattern:
      /\b(?:your\s+new\s+(?:task|instructions?|role|goal)\s+(?:is|are)|new\s+instructions?\s*:|from\s+now\s+on,?\s+you\s+(?:will|must|are\s+to|shall)\s+(?:only\s+)?(?:answer|respond|reply|act|obey))/u,
  },
  {
    id: 'override-de',
    category: 'override',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:ignoriere|ignorier|vergiss|missachte|ignorieren\s+sie|vergessen\s+sie)\s+${W}{0,3}?(?:vorherigen?|bisherigen?|obigen?|vorigen?|vorangegangenen?|alle[ns]?)\s+${W}{0,2}?(?:anweisungen|instruktionen|befehle|regeln|aufträge|aufgaben|vorgaben)\b`,
      'u',
    ),
  },
  {
    id: 'override-de-all',
    category: 'override',
    weight: 0.6,
    pattern: /\b(?:vergiss|vergessen\s+sie)\s+alles\b/u,
  },
  {
    id: 'override-fr',
    category: 'override',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:ignore[sz]?|oublie[sz]?)\s+(?:toutes\s+|tous\s+)?(?:les|tes|vos|ces)\s+${W}{0,2}?(?:instructions|consignes|règles|directives)\s+(?:précédentes|antérieures|ci-dessus|d'avant)`,
      'u',
    ),
  },
  {
    id: 'override-es',
    category: 'override',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:ignora|olvida|ignore|olvide|ignorad)\s+(?:todas\s+)?(?:las|tus|sus)\s+${W}{0,2}?(?:instrucciones|reglas|órdenes|indicaciones)\s+(?:anteriores|previas)`,
      'u',
    ),
  },
  {
    id: 'jailbreak-persona',
    category: 'jailbreak',
    weight: 1,
    pattern:
      /\b(?:do\s+anything\s+now|dan\s+mode|developer\s+mode\s+(?:enabled|activated|on|output)|jailbr(?:oken|eak)\s+mode|you\s+are\s+(?:now\s+)?jailbroken)\b/u,
  },
  {
    id: 'jailbreak-freed',
    category: 'jailbreak',
    weight: 1,
    pattern: new RegExp(
      String.raw`\byou\s+(?:are|have\s+been)\s+(?:now\s+)?(?:freed|free|released|liberated|unbound)\s+from\s+(?:all\s+|any\s+|the\s+|your\s+)?${W}{0,2}?(?:restrictions|rules|guidelines|constraints|limitations|limits|policies|filters)`,
      'u',
    ),
  },
  {
    id: 'jailbreak-no-rules',
    category: 'jailbreak',
    weight: 0.6,
    pattern:
      /\b(?:without|with\s+no|free\s+of)\s+(?:any\s+|all\s+)?(?:ethical|moral|safety|content)\s+(?:restrictions|guidelines|filters|limitations|constraints|policies|rules)\b/u,
  },
  {
    id: 'jailbreak-pretend',
    category: 'jailbreak',
    weight: 1,
    pattern:
      /\bpretend\s+(?:that\s+)?you\s+(?:are|have)\s+(?:an?\s+)?(?:ai\s+|model\s+|assistant\s+|chatbot\s+)?(?:with\s+no\s+(?:restrictions|filters|limits|rules)|without\s+(?:restrictions|filters|limits|rules)|unrestricted|unfiltered|uncensored)/u,
  },
  {
    id: 'jailbreak-character',
    category: 'jailbreak',
    weight: 0.5,
    pattern:
      /\b(?:stay\s+in\s+character|never\s+break\s+character|you\s+never\s+refuse|never\s+refuse\s+a\s+request)\b/u,
  },
  {
    id: 'jailbreak-de',
    category: 'jailbreak',
    weight: 1,
    pattern:
      /\b(?:du\s+bist\s+(?:jetzt\s+|nun\s+)?(?:frei\s+von|nicht\s+mehr\s+an)\s+(?:allen\s+|jeglichen\s+)?(?:regeln|einschränkungen|richtlinien))/u,
  },
  {
    id: 'system-prompt-en',
    category: 'system-prompt',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:repeat|print|reveal|show|display|output|tell\s+me|give\s+me|write\s+out|spell\s+out|leak|dump|disclose|paste)\s+(?:me\s+)?(?:back\s+)?(?:all\s+(?:of\s+)?)?(?:your|the|its)\s+(?:full\s+|entire\s+|exact\s+|complete\s+|original\s+|hidden\s+|secret\s+|initial\s+|confidential\s+)?(?:system\s+prompt|system\s+message|initial\s+(?:prompt|instructions)|original\s+(?:prompt|instructions)|hidden\s+(?:prompt|instructions)|pre-?prompt|instructions\s+(?:above|you\s+were\s+given)|developer\s+message)`,
      'u',
    ),
  },
  {
    id: 'system-prompt-question',
    category: 'system-prompt',
    weight: 1,
    pattern:
      /\bwhat\s+(?:were|are|was|is)\s+(?:your|the)\s+(?:initial|original|first|hidden|secret|exact)\s+(?:instructions|prompt|system\s+prompt|message)\b/u,
  },
  {
    id: 'system-prompt-above',
    category: 'system-prompt',
    weight: 1,
    pattern:
      /\b(?:repeat|print|output|copy)\s+(?:all\s+)?(?:the\s+)?(?:text|words|everything)\s+(?:written\s+)?above\s+(?:this|starting|beginning|verbatim|word\s+for\s+word)/u,
  },
  {
    id: 'system-prompt-de',
    category: 'system-prompt',
    weight: 1,
    pattern: new RegExp(
      String.raw`\b(?:zeig|gib|wiederhole|nenne|verrate)\w*\s+${W}{0,3}?(?:system-?prompt|systemanweisung(?:en)?|anfangsanweisungen|ursprünglichen\s+anweisungen)`,
      'u',
    ),
  },
  {
    id: 'role-tags',
    category: 'role-tags',
    weight: 0.6,
    pattern:
      /<\|?(?:im_start|im_end|system|endoftext)\|?>|\[\/?(?:inst|sys)\]|<<\/?sys>>|(?:^|\n)\s*#{2,}\s*(?:system|new instructions)\b/u,
  },
  {
    id: 'markdown-exfil',
    category: 'exfil-markup',
    weight: 1,
    pattern:
      /!\[[^\]\n]{0,100}\]\(\s*https?:\/\/[^)\s]{1,200}[?&][^)\s=]{1,40}=[^)\s]{0,300}(?:\{|%7b|\$|secret|token|history|conversation|password|data)/u,
  },
  {
    id: 'tool-coercion',
    category: 'tool-coercion',
    weight: 1,
    pattern:
      /\b(?:call|invoke|use|run|execute)\s+(?:the\s+)?(?:[\p{L}_-]+\s+){0,2}?(?:tool|function|plugin|action)\b[^.\n]{0,80}\b(?:send|post|upload|forward|email|exfiltrate|transmit)\b[^.\n]{0,80}\b(?:https?:\/\/|to\s+[\p{L}0-9.-]+\.[a-z]{2,}|attacker|external)/u,
  },
];
