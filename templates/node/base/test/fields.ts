// Sample values per field type for the resource tests: what the API must accept (with what it
// answers back) and what it must refuse with a 422 that names the field.

export type FieldType = 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

export interface Field {
  type: FieldType;
  /** The longest value in code points, for `string` and `text`. */
  max?: number;
  optional: boolean;
}

export interface Accepted {
  value: unknown;
  answer: unknown;
}

const same = (...values: unknown[]): Accepted[] =>
  values.map((value) => ({ value, answer: value }));

/** Values the API accepts for a field, each with the value it answers (at least two). */
export function acceptedValues({ type, max = 0 }: Field): Accepted[] {
  switch (type) {
    case 'string':
      // Lengths count code points: 📝 is two UTF-16 units.
      return same('x', '📝'.repeat(max));
    case 'text':
      return same('é'.repeat(max), '');
    case 'integer':
      return same(42, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0);
    case 'number':
      return same(-273.15, 42, 6.02e23, 0);
    case 'boolean':
      return same(true, false);
    case 'date':
      return same('2024-02-29', '1999-12-31', '0001-01-01');
    case 'datetime':
      // Answered in UTC with exactly three fractional digits; finer ones are truncated.
      return [
        { value: '2026-01-02T03:04:05Z', answer: '2026-01-02T03:04:05.000Z' },
        { value: '2026-01-02T03:04:05.5+02:00', answer: '2026-01-02T01:04:05.500Z' },
        { value: '2026-01-02T03:04:05.123999-01:30', answer: '2026-01-02T04:34:05.123Z' },
      ];
  }
}

/** JSON texts the API refuses for a field, whether it is optional or not. */
export function refusedJson({ type, max = 0 }: Field): string[] {
  const badText = ['"nul\\u0000byte"', '"lone\\ud800surrogate"'];
  switch (type) {
    case 'string':
      return ['123', 'true', '["x"]', '""', JSON.stringify('📝'.repeat(max + 1)), ...badText];
    case 'text':
      return ['123', 'false', '{}', JSON.stringify('é'.repeat(max + 1)), ...badText];
    case 'integer':
      return ['"5"', '1.5', 'true', '9007199254740992', '-9007199254740992', '1e999', '[1]'];
    case 'number':
      return ['"1.5"', 'true', '1e999', '-1e999', '{}'];
    case 'boolean':
      return ['"true"', '1', '0', '"yes"'];
    case 'date':
      return ['"2023-02-29"', '"2024-13-01"', '"2024-1-01"', '"2024-02-29T00:00:00Z"', '20240229'];
    case 'datetime':
      return [
        '"2026-01-02T03:04:05"',
        '"2026-01-02"',
        '"2026-02-30T00:00:00Z"',
        '"2026-01-02T24:00:00Z"',
        '"2026-01-02T03:04:05+2:00"',
        '1767322245',
      ];
  }
}
