/**
 * JSON Schema patterns have no flags, and zod-to-openapi writes a flagged regex as `source/flags`
 * (`^[a-z]+$/i`), a pattern that matches nothing a route accepts. These helpers turn such a pattern
 * into a flag-free one with the same meaning: `i` by listing both cases of every ASCII letter,
 * `s` by spelling `.` as `[\s\S]`; `u`, `g` and `d` change nothing for a whole-value test (JSON
 * Schema patterns are Unicode patterns already). `m`, `y` and `v` have no flag-free equivalent,
 * so a contract using them fails the document build instead of publishing a wrong pattern.
 */

const EMITTED_FLAGS = /^([\s\S]*)\/([a-z]+)$/;
const IGNORED = new Set(['u', 'g', 'd']);

/** One escape sequence starting at `at` (the backslash), copied verbatim. */
function escapeAt(src: string, at: number): string {
  const next = src[at + 1] ?? '';
  const braced = (open: string, close: string) => {
    const end = src.indexOf(close, at + 2);
    return src[at + 2] === open && end !== -1 ? src.slice(at, end + 1) : src.slice(at, at + 2);
  };
  if (next === 'p' || next === 'P') return braced('{', '}');
  if (next === 'k') return braced('<', '>');
  if (next === 'u') return src[at + 2] === '{' ? braced('{', '}') : src.slice(at, at + 6);
  if (next === 'x') return src.slice(at, at + 4);
  if (next === 'c') return src.slice(at, at + 3);
  return src.slice(at, at + 2);
}

const otherCase = (ch: string): string | undefined => {
  const other = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
  return other !== ch && other.length === 1 ? other : undefined;
};

/** The other-case ranges of the ASCII letters inside `lo`..`hi`. */
function foldedRanges(lo: number, hi: number): string[] {
  const out: string[] = [];
  for (const [from, to, shift] of [
    [97, 122, -32],
    [65, 90, 32],
  ] as const) {
    const a = Math.max(lo, from);
    const b = Math.min(hi, to);
    if (a <= b) out.push(`${String.fromCharCode(a + shift)}-${String.fromCharCode(b + shift)}`);
  }
  return out;
}

const renderAtom = (atom: string): string => (atom === '-' || atom === '^' ? `\\${atom}` : atom);

/** A character class from `[` at `at`: returned rewritten, with where the source continues. */
function rewriteClass(src: string, at: number, fold: boolean): { text: string; end: number } {
  let i = at + 1;
  const negated = src[i] === '^';
  if (negated) i += 1;
  const items: string[] = [];
  const extra: string[] = [];
  const atomAt = (pos: number) => (src[pos] === '\\' ? escapeAt(src, pos) : (src[pos] ?? ''));
  while (i < src.length && src[i] !== ']') {
    const first = atomAt(i);
    i += first.length;
    if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
      const last = atomAt(i + 1);
      i += 1 + last.length;
      items.push(`${renderAtom(first)}-${renderAtom(last)}`);
      if (fold && first.length === 1 && last.length === 1)
        extra.push(...foldedRanges(first.charCodeAt(0), last.charCodeAt(0)));
    } else {
      items.push(renderAtom(first));
      const other = fold && first.length === 1 ? otherCase(first) : undefined;
      if (other) extra.push(other);
    }
  }
  return { text: `[${negated ? '^' : ''}${[...items, ...extra].join('')}]`, end: i + 1 };
}

function rewrite(src: string, flags: ReadonlySet<string>): string {
  const fold = flags.has('i');
  const dotAll = flags.has('s');
  let out = '';
  for (let i = 0; i < src.length;) {
    const ch = src[i] as string;
    if (ch === '\\') {
      const esc = escapeAt(src, i);
      out += esc;
      i += esc.length;
    } else if (ch === '[') {
      const cls = rewriteClass(src, i, fold);
      out += cls.text;
      i = cls.end;
    } else if (ch === '(' && src.startsWith('(?<', i) && /[A-Za-z_$]/.test(src[i + 3] ?? '')) {
      // A group name is not text to match.
      const end = src.indexOf('>', i);
      out += src.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i))) {
      const q = /^\{\d+(,\d*)?\}/.exec(src.slice(i))?.[0] ?? ch;
      out += q;
      i += q.length;
    } else {
      const other = fold ? otherCase(ch) : undefined;
      out += other ? `[${ch}${other}]` : dotAll && ch === '.' ? '[\\s\\S]' : ch;
      i += 1;
    }
  }
  return out;
}

/** The flag-free equivalent of a pattern as zod-to-openapi emits it; unchanged when it has no flags. */
export function patternWithoutFlags(emitted: string): string {
  const match = EMITTED_FLAGS.exec(emitted);
  if (!match) return emitted;
  const [, source = '', flagText = ''] = match;
  // A regex source escapes every slash outside a class, so an escaped one ends the source itself.
  if (/(^|[^\\])(\\\\)*\\$/.test(source)) return emitted;
  const flags = new Set(flagText);
  const unsupported = [...flags].filter((f) => f !== 'i' && f !== 's' && !IGNORED.has(f));
  if (unsupported.length > 0) {
    throw new Error(
      `pattern /${source}/${flagText}: flag ${unsupported.join(', ')} has no equivalent in an OpenAPI pattern; write the regex without it`,
    );
  }
  return rewrite(source, flags);
}

/** Rewrites every `pattern` in a generated document in place (see `patternWithoutFlags`). */
export function removePatternFlags(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) removePatternFlags(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'pattern' && typeof value === 'string') record[key] = patternWithoutFlags(value);
    else removePatternFlags(value);
  }
}
