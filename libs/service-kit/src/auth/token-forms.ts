/**
 * The token rule (`parseTokenValue`) as examples: how each form of a value is judged, wherever it
 * is sent. Every reader of tokens is tested against this one table, so none can drift.
 */
export const TOKEN_FORMS: readonly {
  form: (token: string) => string;
  outcome: 'accepted' | 'malformed' | 'invalid';
}[] = [
  { form: (t) => `Bearer ${t}`, outcome: 'accepted' },
  { form: (t) => `bearer ${t}`, outcome: 'accepted' },
  { form: (t) => `BEARER ${t}`, outcome: 'accepted' },
  { form: (t) => `Bearer  ${t}`, outcome: 'accepted' },
  { form: (t) => `Bearer    ${t}`, outcome: 'accepted' },
  { form: (t) => t, outcome: 'accepted' },
  { form: (t) => ` Bearer ${t} `, outcome: 'accepted' },
  { form: (t) => `Bearer\t${t}`, outcome: 'malformed' },
  { form: (t) => `Bearer \t${t}`, outcome: 'malformed' },
  { form: (t) => `Bearer ${t} ${t}`, outcome: 'malformed' },
  { form: () => 'Bearer', outcome: 'malformed' },
  { form: (t) => `Bearer:${t}`, outcome: 'invalid' },
  { form: (t) => `Bearer ${t}x`, outcome: 'invalid' },
  { form: (t) => `x${t}`, outcome: 'invalid' },
];
