import { isAppError } from '@barfinex/contracts';

/** Field name → message, from a 400's `details.issues` (`order.price` and `price` both land on `price`). */
export function fieldErrors(err: unknown): { fields: Record<string, string>; general: string | null } {
  if (!err) return { fields: {}, general: null };
  if (!isAppError(err)) return { fields: {}, general: err instanceof Error ? err.message : String(err) };
  const details = err.details as
    | { issues?: { path?: string; message?: string }[]; upstream?: { error?: { details?: { issues?: unknown } } } }
    | undefined;
  const issues =
    details?.issues ??
    (details?.upstream?.error?.details?.issues as { path?: string; message?: string }[] | undefined) ??
    [];
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = (issue.path ?? '').split('.').pop() ?? '';
    if (field && !fields[field]) fields[field] = issue.message ?? err.message;
  }
  return { fields, general: Object.keys(fields).length === 0 ? err.message : null };
}

export function errorText(err: unknown): string {
  if (isAppError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
