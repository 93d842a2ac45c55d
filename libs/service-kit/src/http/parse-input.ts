import type { z } from 'zod';
import { AppError } from '@barfinex/contracts';
import { summariseIssues, toValidationIssues } from '../errors/error-body';
import { assertSafeInput } from './input-guard';
import type { InputLocation } from './input-guard';

export type { InputLocation } from './input-guard';

/**
 * Validates one part of a request; on failure throws 400 VALIDATION_ERROR with every issue in
 * `details.issues`. Routes call it without try/catch: Express 5 forwards the throw. Text no route
 * can store (NUL, unpaired surrogates) and absurd nesting are refused here first, for every route
 * at once, rather than by each schema.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: InputLocation): z.output<S> {
  assertSafeInput(value, where);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error);
  const message =
    value === undefined && where === 'body'
      ? 'request body is required (send JSON with Content-Type: application/json)'
      : `invalid request ${where}: ${summariseIssues(issues)}`;
  throw new AppError('VALIDATION_ERROR', message, { details: { where, issues } });
}
