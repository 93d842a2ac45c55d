import { AppError } from '@barfinex/contracts';
import type { ValidationIssue } from '../errors/error-body';

export type InputLocation = 'body' | 'query' | 'params' | 'headers';

/**
 * Deepest nesting a request value may have. Real bodies (orders, detector configs with indicator
 * parameters) stay under ten levels; a few thousand levels overflow the stack of every recursive
 * consumer downstream (Zod, JSON.stringify, the jsonb encoder).
 */
export const MAX_INPUT_DEPTH = 64;

// In Unicode mode a class of surrogate code units matches only the unpaired ones.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function textProblem(text: string): string | undefined {
  // PostgreSQL stores neither NUL in text nor in jsonb, and no column of ours has a use for it.
  if (text.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  // A lone surrogate is not a Unicode character: it cannot be encoded as UTF-8 (or stored as jsonb).
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains an unpaired surrogate)';
  return undefined;
}

interface Pending {
  value: unknown;
  depth: number;
  path: string;
}

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

/**
 * The first thing in a decoded request value (JSON body, path params, query) that no route can
 * use: a NUL character or an unpaired surrogate in a string or key, a number JSON could not
 * represent (`1e400` parses to Infinity), or nesting deeper than `maxDepth`. Iterative, so the
 * check itself cannot overflow the stack on the input it exists to refuse.
 */
export function findUnsafeInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): ValidationIssue | undefined {
  const stack: Pending[] = [{ value, depth: 0, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: v, depth, path } = item;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path, message: `text ${problem}`, code: 'invalid_text' };
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path, message: 'number is out of range', code: 'invalid_number' };
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= maxDepth)
        return { path, message: `value is nested deeper than ${maxDepth} levels`, code: 'too_deep' };
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], depth: depth + 1, path: join(path, i) });
      } else {
        for (const [key, child] of Object.entries(v)) {
          const problem = textProblem(key);
          if (problem) return { path: join(path, key), message: `key ${problem}`, code: 'invalid_key' };
          stack.push({ value: child, depth: depth + 1, path: join(path, key) });
        }
      }
    }
  }
  return undefined;
}

/** Throws 400 VALIDATION_ERROR (the shape `parseInput` uses) when `findUnsafeInput` finds something. */
export function assertSafeInput(value: unknown, where: InputLocation, maxDepth = MAX_INPUT_DEPTH): void {
  const issue = findUnsafeInput(value, maxDepth);
  if (!issue) return;
  const at = issue.path ? `${issue.path}: ` : '';
  throw new AppError('VALIDATION_ERROR', `invalid request ${where}: ${at}${issue.message}`, {
    details: { where, issues: [issue] },
  });
}
