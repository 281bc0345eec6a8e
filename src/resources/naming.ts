/**
 * The names one resource needs in each language and URL, derived from its PascalCase name.
 * `OrderItem` → `order_items` (tables, Python modules), `orderItems` (TypeScript),
 * `order-items` (URLs).
 */

/** Splits `OrderItem` into `['order', 'item']`. */
export function words(pascal: string): string[] {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter(Boolean);
}

/**
 * English plural of one lower-case word. A few rules cover the names APIs use; irregular
 * nouns are listed. Why not a library: the rule set is small and the output must never change
 * between versions (it names tables and URLs).
 */
export function pluralWord(word: string): string {
  const irregular: Record<string, string> = { person: 'people', child: 'children', man: 'men', woman: 'women', mouse: 'mice', goose: 'geese', foot: 'feet', tooth: 'teeth', datum: 'data', index: 'indices', status: 'statuses', quiz: 'quizzes' };
  if (word in irregular) return irregular[word]!;
  if (/(?:news|series|species|data|info|information|equipment|feedback|metadata)$/.test(word)) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]fe?$/.test(word) && /(?:knife|life|wife|leaf|half|shelf|wolf|calf|loaf|thief)$/.test(word)) return `${word.replace(/fe?$/, '')}ves`;
  return `${word}s`;
}

const capitalise = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** Every spelling of a resource name that the templates use. */
export interface ResourceNames {
  /** `OrderItem` */
  readonly name: string;
  /** `OrderItems` */
  readonly plural: string;
  /** `orderItem` */
  readonly camel: string;
  /** `orderItems` */
  readonly camelPlural: string;
  /** `order_item` */
  readonly snake: string;
  /** `order_items`: table name, Python package, Django app label */
  readonly snakePlural: string;
  /** `order-item` */
  readonly kebab: string;
  /** `order-items`: the URL segment */
  readonly kebabPlural: string;
  /** `order item`: prose */
  readonly label: string;
  /** `order items`: prose */
  readonly labelPlural: string;
}

/** Derives every spelling from a PascalCase name. */
export function resourceNames(pascal: string): ResourceNames {
  const singular = words(pascal);
  const plural = [...singular.slice(0, -1), pluralWord(singular.at(-1)!)];
  const pascalOf = (ws: string[]): string => ws.map(capitalise).join('');
  const camelOf = (ws: string[]): string => ws[0]! + ws.slice(1).map(capitalise).join('');
  return {
    name: pascal,
    plural: pascalOf(plural),
    camel: camelOf(singular),
    camelPlural: camelOf(plural),
    snake: singular.join('_'),
    snakePlural: plural.join('_'),
    kebab: singular.join('-'),
    kebabPlural: plural.join('-'),
    label: singular.join(' '),
    labelPlural: plural.join(' '),
  };
}

/** `due_date` → `dueDate`; `due_date` → `DueDate`. */
export function fieldSpellings(name: string): { readonly camel: string; readonly pascal: string } {
  const parts = name.split('_').filter(Boolean);
  const camel = parts[0]! + parts.slice(1).map(capitalise).join('');
  return { camel, pascal: capitalise(camel) };
}
