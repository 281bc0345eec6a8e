import { QUESTIONS } from './questions.js';

/** JSON Schema (2020-12) of an answers file, derived from the question table. */
export function answersJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = { $schema: { type: 'string' } };
  for (const q of QUESTIONS) {
    properties[q.id] =
      q.kind === 'multi'
        ? { description: `${q.message}; [] for none`, type: 'array', uniqueItems: true, items: { enum: q.choices.map((c) => c.value) }, default: q.default }
        : q.kind === 'choice'
        ? {
            description: q.message,
            enum: q.choices.map((c) => c.value),
            ...(q.default === undefined ? {} : { default: q.default }),
          }
        : { description: q.message, type: 'string', pattern: q.pattern.source, maxLength: q.maxLength };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'create-backend answers',
    description: 'Answers for `create-backend --answers <file>`; every key is also a `--<key>` flag.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
