import { z } from 'zod';
import type { ErrorCode } from '@barfinex/contracts';

/** The body of every error response: `{ error: { code, message, details? } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const ValidationIssueSchema = z.object({
  /** Dotted location inside the validated value (`order.quantity`, `legs.0.price`); '' for the root. */
  path: z.string(),
  message: z.string(),
  code: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/** One line for humans: the first issue, and how many more there are. */
export function summariseIssues(issues: readonly ValidationIssue[]): string {
  const [first] = issues;
  if (!first) return 'invalid value';
  const head = first.path ? `${first.path}: ${first.message}` : first.message;
  return issues.length > 1 ? `${head} (and ${issues.length - 1} more)` : head;
}
