import { QUESTIONS } from './question-bank.js';
import type { FoundingTopic, Persona, Question } from './question-schema.js';

const byId = new Map(QUESTIONS.map((q) => [q.id, q]));
const byTechnique = new Map<string, Question[]>();
const byMitigation = new Map<string, Question[]>();
for (const q of QUESTIONS) {
  for (const t of q.techniques) byTechnique.set(t, [...(byTechnique.get(t) ?? []), q]);
  for (const m of q.mitigations) byMitigation.set(m, [...(byMitigation.get(m) ?? []), q]);
}

export function questionById(id: string): Question | undefined {
  return byId.get(id);
}

/** Questions that name the technique, in bank order. */
export function questionsForTechnique(techniqueId: string): readonly Question[] {
  return byTechnique.get(techniqueId) ?? [];
}

/** Questions that verify the mitigation, in bank order. */
export function questionsForMitigation(mitigationId: string): readonly Question[] {
  return byMitigation.get(mitigationId) ?? [];
}

export function questionsForPersona(persona: Persona): readonly Question[] {
  return QUESTIONS.filter((q) => q.persona === persona);
}

/** The question answering one of the three founding questions of AtlasGuard. */
export function foundingQuestion(topic: FoundingTopic): Question | undefined {
  return QUESTIONS.find((q) => q.founding === topic);
}
