import { Router } from 'express';

export interface CheckOutcome {
  ok: boolean;
  details?: unknown;
}

export type HealthCheck = () => Promise<CheckOutcome>;

export interface CheckResult extends CheckOutcome {
  durationMs: number;
  error?: string;
}

export interface HealthRouterOptions {
  service: string;
  version: string;
  /** Readiness checks by name (e.g. database, bus); each must settle within `timeoutMs`. */
  checks: Readonly<Record<string, HealthCheck>>;
  /** Unix ms when the process started. */
  startedAt: number;
  now?: () => number;
  timeoutMs?: number;
}

const MAX_ERROR_LENGTH = 200;

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

async function runCheck(check: HealthCheck, timeoutMs: number, now: () => number): Promise<CheckResult> {
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    // Promise.resolve().then() turns a synchronous throw into a failed check as well.
    const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
    const result: CheckResult = { ok: outcome.ok === true, durationMs: now() - started };
    if (outcome.details !== undefined) result.details = outcome.details;
    return result;
  } catch (err) {
    return { ok: false, durationMs: now() - started, error: errorText(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently; resolves with each one's result and whether all passed. */
export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs, now)] as const),
  );
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

/**
 * `GET /health`: liveness, 200 while the process can answer at all.
 * `GET /health/ready`: readiness, 200 when every check passes, else 503; the body lists each check.
 */
export function healthRouter(options: HealthRouterOptions): Router {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 2000;
  const identity = () => {
    const timestamp = now();
    return { service: options.service, version: options.version, uptimeMs: timestamp - options.startedAt, timestamp };
  };
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', ...identity() });
  });
  router.get('/health/ready', async (_req, res) => {
    const { ok, checks } = await runHealthChecks(options.checks, timeoutMs, now);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', ...identity(), checks });
  });
  return router;
}

/** Readiness of a database client (structural: anything with `ping()` and a `kind`). */
export function databaseCheck(db: { ping(): Promise<boolean>; kind: string }): HealthCheck {
  return async () => ({ ok: await db.ping(), details: { kind: db.kind } });
}

/** Readiness of a bus (structural: anything with a `status()` that says whether it is connected). */
export function busCheck(bus: { status(): { connected: boolean } }): HealthCheck {
  return async () => {
    const status = bus.status();
    return { ok: status.connected, details: status };
  };
}
