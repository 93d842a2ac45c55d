/** The subset of JSON Schema a detector's params use: flat objects of numbers, integers, booleans, strings and enums. */
export interface FieldSpec {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'enum';
  options?: string[];
  minimum?: number;
  maximum?: number;
  description?: string;
  default?: unknown;
}

export function fieldsOf(schema: Record<string, unknown> | undefined): FieldSpec[] {
  const props = (schema?.['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props).map(([name, p]) => {
    const options = Array.isArray(p['enum']) ? (p['enum'] as unknown[]).map(String) : undefined;
    const t = p['type'];
    const type = options ? 'enum' : t === 'integer' || t === 'number' || t === 'boolean' ? t : 'string';
    return {
      name,
      type,
      ...(options ? { options } : {}),
      ...(typeof p['minimum'] === 'number' ? { minimum: p['minimum'] } : {}),
      ...(typeof p['maximum'] === 'number' ? { maximum: p['maximum'] } : {}),
      ...(typeof p['description'] === 'string' ? { description: p['description'] } : {}),
      ...('default' in p ? { default: p['default'] } : {}),
    };
  });
}

/** Form text → typed values, with a message per field the schema refuses (the detector checks again). */
export function readForm(
  fields: readonly FieldSpec[],
  text: Record<string, string>,
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = (text[f.name] ?? '').trim();
    if (raw === '') continue;
    if (f.type === 'boolean') values[f.name] = raw === 'true';
    else if (f.type === 'number' || f.type === 'integer') {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors[f.name] = 'a number';
      else if (f.type === 'integer' && !Number.isInteger(n)) errors[f.name] = 'a whole number';
      else if (f.minimum !== undefined && n < f.minimum) errors[f.name] = `at least ${f.minimum}`;
      else if (f.maximum !== undefined && n > f.maximum) errors[f.name] = `at most ${f.maximum}`;
      else values[f.name] = n;
    } else if (f.type === 'enum' && f.options && !f.options.includes(raw))
      errors[f.name] = `one of ${f.options.join(', ')}`;
    else values[f.name] = raw;
  }
  return { values, errors };
}
