import { isAppError } from '@barfinex/contracts';

interface Issue {
  path?: string;
  code?: string;
  message?: string;
}

/**
 * Field name → message, from a 400's `details.issues` (`order.price` and `price` both land on
 * `price`). A refusal that names no field but whose code concerns one (`codeFields`, e.g. a venue's
 * REDUCE_ONLY) lands on that field too: an issue with an empty path, or a rejection's `details.reason`.
 */
export function fieldErrors(
  err: unknown,
  codeFields: Readonly<Record<string, string>> = {},
): { fields: Record<string, string>; general: string | null } {
  if (!err) return { fields: {}, general: null };
  if (!isAppError(err)) return { fields: {}, general: err instanceof Error ? err.message : String(err) };
  // Raised here, the details are the error's own; from the SDK, the provider's error body is under `upstream`.
  type Details = { issues?: Issue[]; reason?: unknown };
  const own = err.details as (Details & { upstream?: { error?: { details?: Details } } }) | undefined;
  const details: Details | undefined = own?.issues ? own : (own?.upstream?.error?.details ?? own);
  const issues = details?.issues ?? [];
  const fields: Record<string, string> = {};
  const put = (field: string | undefined, message: string | undefined) => {
    if (field && !fields[field]) fields[field] = message ?? err.message;
  };
  for (const issue of issues) {
    const named = (issue.path ?? '').split('.').pop();
    put(named || (issue.code ? codeFields[issue.code] : undefined), issue.message);
  }
  if (typeof details?.reason === 'string') put(codeFields[details.reason], err.message);
  return { fields, general: Object.keys(fields).length === 0 ? err.message : null };
}

export function errorText(err: unknown): string {
  if (isAppError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
