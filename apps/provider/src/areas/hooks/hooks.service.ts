// Alerts in, signals out. A valid alert becomes DETECTOR_SIGNAL_GENERATED from the virtual detector
// `hook-<name>`, on a correlation id of its own, and then goes where every signal goes (advisor,
// inspector risk gate, orders): nothing posted here can bypass risk policy or the kill switch.
// Every alert, accepted or not, is kept in the hook's log with the reason.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Bus, Subscription } from '@barfinex/bus';
import { isUniqueViolation } from '@barfinex/db';
import type { AnyEventEnvelope } from '@barfinex/events';
import {
  badRequest,
  conflict,
  createKeyedQueue,
  forbidden,
  notFound,
  rateLimited,
  tokensMatch,
  unauthorized,
  verifySignature,
} from '@barfinex/service-kit';
import type { CreateInboundHookSchema, UpdateInboundHookSchema } from '@barfinex/contracts';
import type { z } from 'zod';
import type { EventPublisher } from '../../bus/publisher';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { AlertProblem, parseAlert } from './alert-parse';
import type { ParsedAlert } from './alert-parse';
import type { AlertRecord, HookRecord, HooksRepository, SymbolTarget } from './hooks.repository';

const MAX_LOGGED_BODY = 4096;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MINUTE = 60_000;
const UNAUTHENTICATED_LOGGED_PER_MINUTE = 60;
/** How long a hook's signal stays actionable: an alert is about now, not about later. */
const SIGNAL_TTL_MS = 5 * MINUTE;

export interface HooksServiceDeps {
  repo: HooksRepository;
  events: EventPublisher;
  connectors: ConnectorRegistry;
  now: () => number;
}

export interface IncomingAlert {
  hookId: string;
  body: string;
  pathSecret?: string | undefined;
  signature?: string | undefined;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function hookView(h: HookRecord) {
  const { secret, dedupWindowMs, replayWindowMs, ...rest } = h;
  return {
    ...rest,
    detectorKey: `hook-${h.name}`,
    secretHint: `…${secret.slice(-4)}`,
    dedupWindowSeconds: dedupWindowMs / 1000,
    replayWindowSeconds: replayWindowMs / 1000,
    url: `/api/hooks/${h.id}`,
  };
}

export function createHooksService(deps: HooksServiceDeps) {
  const { repo, now } = deps;
  const queue = createKeyedQueue();
  const recent = new Map<string, number[]>();

  async function hook(id: string): Promise<HookRecord> {
    const h = /^hk_[A-Za-z0-9_-]{8,64}$/.test(id) ? await repo.get(id) : undefined;
    if (!h) throw notFound(`inbound hook "${id.slice(0, 80)}"`, { hookId: id.slice(0, 80) });
    return h;
  }

  /** A target of the map, or a plain ticker on the hook's default connector and market. */
  function resolve(h: HookRecord, ticker: string): SymbolTarget {
    const bare = ticker.includes(':') ? ticker.slice(ticker.indexOf(':') + 1) : ticker;
    const mapped = h.symbolMap[ticker] ?? h.symbolMap[bare];
    const target =
      mapped ??
      (/^[A-Z0-9]{2,30}$/.test(ticker)
        ? { connectorType: h.connectorType, marketType: h.marketType, symbol: ticker }
        : undefined);
    if (!target)
      throw new AlertProblem(
        'UNMAPPED_SYMBOL',
        `${ticker} is not in the hook's symbol map; map it (PATCH /api/inbound-hooks/${h.id} with symbolMap) or send a plain ticker such as BTCUSDT`,
      );
    const connector = deps.connectors.find(target.connectorType);
    if (!connector || !connector.markets.includes(target.marketType))
      throw new AlertProblem(
        'UNKNOWN_MARKET',
        `${ticker} maps to ${target.connectorType} ${target.marketType}, which this provider does not run`,
      );
    if (!connector.instrument(target.marketType, target.symbol))
      throw new AlertProblem(
        'UNKNOWN_SYMBOL',
        `${ticker} maps to ${target.symbol}, which ${target.connectorType} ${target.marketType} does not list`,
      );
    return target;
  }

  function authenticate(h: HookRecord, a: IncomingAlert, parsed: () => ParsedAlert | undefined): void {
    if (a.signature !== undefined) {
      const verdict = verifySignature(a.signature, h.secret, a.body, { nowMs: now(), toleranceMs: h.replayWindowMs });
      if (!verdict.ok)
        throw new AlertProblem(
          verdict.reason === 'stale' ? 'STALE_SIGNATURE' : 'BAD_SIGNATURE',
          verdict.reason === 'stale'
            ? 'the signature time is outside the replay window'
            : 'the signature does not match',
          401,
        );
      return;
    }
    const secret = a.pathSecret ?? parsed()?.secret;
    if (secret === undefined)
      throw new AlertProblem(
        'MISSING_SECRET',
        'no secret: put it in the body ("secret"), in the path (/api/hooks/<id>/<secret>) or sign the body',
        401,
      );
    if (!tokensMatch(secret, h.secret)) throw new AlertProblem('BAD_SECRET', 'the secret does not match', 401);
  }

  function overRate(h: HookRecord, kind = 'alerts', perMinute = h.ratePerMinute): boolean {
    const t = now();
    const key = `${h.id}\u0000${kind}`;
    const times = (recent.get(key) ?? []).filter((x) => x > t - MINUTE);
    times.push(t);
    recent.set(key, times);
    return times.length > perMinute;
  }

  async function handle(a: IncomingAlert) {
    const h = await hook(a.hookId);
    const receivedAt = now();
    // Kept as text the database takes: NUL and lone surrogates (junk is logged too) are written out.
    const logged = a.body
      .split(h.secret)
      .join('***')
      .slice(0, MAX_LOGGED_BODY)
      .replace(LONE_SURROGATE, '\uFFFD')
      .split('\u0000')
      .join('\\u0000');
    const record = (r: Pick<AlertRecord, 'status' | 'code' | 'reason'> & Partial<AlertRecord>) =>
      repo.recordAlert({
        hookId: h.id,
        dedupKey: null,
        signalId: null,
        correlationId: null,
        body: logged,
        receivedAt,
        ...r,
      });
    let parsed: ParsedAlert | undefined;
    let parseError: AlertProblem | undefined;
    const parseOnce = () => {
      if (parsed === undefined && parseError === undefined) {
        try {
          parsed = parseAlert(a.body);
        } catch (err) {
          if (!(err instanceof AlertProblem)) throw err;
          parseError = err;
        }
      }
      return parsed;
    };
    try {
      authenticate(h, a, parseOnce);
      // Counted after authentication, so nobody without the secret can use up a hook's rate.
      if (overRate(h)) throw new AlertProblem('RATE_LIMITED', `more than ${h.ratePerMinute} alerts in a minute`, 429);
      if (!h.enabled) throw new AlertProblem('HOOK_DISABLED', 'the hook is disabled', 403);
      const alert = parseOnce();
      if (!alert) throw parseError ?? new AlertProblem('INVALID_BODY', 'unreadable alert');
      if (alert.time !== undefined && Math.abs(receivedAt - alert.time) > h.replayWindowMs) {
        throw new AlertProblem(
          'STALE_ALERT',
          `the alert's time ${new Date(alert.time).toISOString()} is more than ${h.replayWindowMs / 1000} s from now`,
        );
      }
      const target = resolve(h, alert.ticker);
      const dedupKey =
        alert.id !== undefined
          ? `id:${alert.id}`
          : `h:${sha(JSON.stringify([alert.ticker, alert.direction, alert.price, alert.stop, alert.target, alert.time]))}`;
      const receipt = {
        symbol: target.symbol,
        direction: alert.direction,
        connectorType: target.connectorType,
        marketType: target.marketType,
      };
      const earlier = await repo.findAccepted(h.id, dedupKey, receivedAt - h.dedupWindowMs);
      if (earlier) {
        await record({
          status: 'duplicate',
          code: 'DUPLICATE',
          reason: `same alert as #${earlier.id}; nothing new published`,
          dedupKey,
          signalId: earlier.signalId,
          correlationId: earlier.correlationId,
        });
        return {
          status: 'duplicate' as const,
          signalId: earlier.signalId ?? '',
          correlationId: earlier.correlationId ?? '',
          ...receipt,
        };
      }
      const signalId = `hk-${sha(`${h.id}\u0000${dedupKey}\u0000${receivedAt}`).slice(0, 24)}`;
      const correlationId = `hook-${randomUUID()}`;
      if (h.mode === 'dry-run') {
        await record({
          status: 'dry-run',
          code: null,
          reason: 'dry-run: checked and logged, nothing published',
          dedupKey,
          signalId,
          correlationId,
        });
        return { status: 'dry-run' as const, signalId, correlationId, ...receipt };
      }
      // Logged first: a crash after this and before the publish leaves an accepted alert without a
      // signal, which the sender's retry (same alert) would find as a duplicate; the other order
      // could publish twice. The publisher's outbox keeps the signal through a bus outage.
      await record({ status: 'accepted', code: null, reason: null, dedupKey, signalId, correlationId });
      deps.events.emit(
        'DETECTOR_SIGNAL_GENERATED',
        {
          signalId,
          detectorKey: `hook-${h.name}`,
          symbol: target.symbol,
          direction: alert.direction,
          confidence: alert.confidence ?? 1,
          score: 1,
          strategy: alert.form === 'generic-json' ? `hook:${h.name}` : `tradingview:${h.name}`,
          ...(alert.price ? { entry: { price: alert.price, type: 'market' as const } } : {}),
          ...(alert.stop ? { stop: { price: alert.stop } } : {}),
          targets: alert.target ? [{ price: alert.target }] : [],
          rulesFired: ['webhook'],
          ...(alert.comment ? { reason: alert.comment } : {}),
          connectorType: target.connectorType,
          marketType: target.marketType,
          createdAt: receivedAt,
          expiresAt: receivedAt + SIGNAL_TTL_MS,
        },
        { correlationId, symbol: target.symbol, connectorType: target.connectorType, marketType: target.marketType },
      );
      await deps.events.settled();
      return { status: 'accepted' as const, signalId, correlationId, ...receipt };
    } catch (err) {
      if (!(err instanceof AlertProblem)) throw err;
      // Refusals of unauthenticated senders are logged up to a rate, so a flood cannot fill the log.
      if (err.status !== 401 || !overRate(h, 'unauthenticated', UNAUTHENTICATED_LOGGED_PER_MINUTE))
        await record({ status: 'rejected', code: err.code, reason: err.message });
      const details = { hookId: h.id, reason: err.code };
      if (err.status === 401) throw unauthorized(err.message, details);
      if (err.status === 403) throw forbidden(err.message, details);
      if (err.status === 429) throw rateLimited(err.message, details);
      throw badRequest(err.message, details);
    }
  }

  return {
    /** One alert at a time per hook, so the same alert posted twice at once is still one signal. */
    receive: (a: IncomingAlert) => queue.run(a.hookId, () => handle(a)),

    async list() {
      return (await repo.list()).map(hookView);
    },
    get: async (id: string) => hookView(await hook(id)),
    async create(input: z.output<typeof CreateInboundHookSchema>) {
      const t = now();
      const secret = input.secret ?? randomBytes(24).toString('base64url');
      const { dedupWindowSeconds, replayWindowSeconds, ...settings } = input;
      const created = await repo
        .create({
          ...settings,
          id: `hk_${randomBytes(12).toString('base64url')}`,
          secret,
          dedupWindowMs: dedupWindowSeconds * 1000,
          replayWindowMs: replayWindowSeconds * 1000,
          createdAt: t,
          updatedAt: t,
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err)
            ? conflict(`an inbound hook named "${input.name}" exists`, { name: input.name })
            : err;
        });
      const view = hookView(created);
      return { ...view, secret, urlWithSecret: `${view.url}/${secret}` };
    },
    async update(id: string, patch: z.output<typeof UpdateInboundHookSchema>) {
      const current = await hook(id);
      const { dedupWindowSeconds, replayWindowSeconds, ...rest } = patch;
      const next: HookRecord = {
        ...current,
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
        ...(dedupWindowSeconds !== undefined ? { dedupWindowMs: dedupWindowSeconds * 1000 } : {}),
        ...(replayWindowSeconds !== undefined ? { replayWindowMs: replayWindowSeconds * 1000 } : {}),
        updatedAt: now(),
      };
      return hookView(await repo.update(next));
    },
    async remove(id: string): Promise<void> {
      await hook(id);
      await repo.remove(id);
      for (const key of recent.keys()) if (key.startsWith(`${id}\u0000`)) recent.delete(key);
    },
    async alerts(id: string, q: { status?: AlertRecord['status'] | undefined; page: number; limit: number }) {
      await hook(id);
      return repo.alerts(id, q);
    },
  };
}
export type HooksService = ReturnType<typeof createHooksService>;

/** What an accepted alert became downstream, read from the events on its correlation id. */
export function outcomeOf(env: AnyEventEnvelope): { code: string; reason: string } | undefined {
  const p = env.payload as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (env.type) {
    case 'ADVISOR_DECISION_RESPONSE':
      return p['approved'] === true
        ? { code: 'ADVISOR_APPROVED', reason: `advisor approved: ${text(p['reasoning'])}` }
        : { code: 'ADVISOR_REJECTED', reason: `advisor rejected: ${text(p['reasoning'])}` };
    case 'INSPECTOR_RISK_LIMIT_BREACH':
      return {
        code: 'RISK_BLOCKED',
        reason: `inspector ${text(p['action'])} (${text(p['policy'])}): ${text(p['reason'])}`,
      };
    case 'INSPECTOR_ENTRY_DECLINED':
      return { code: 'ENTRY_DECLINED', reason: `inspector declined: ${text(p['reason'])}` };
    case 'INSPECTOR_ENTRY_FAILED':
      return { code: 'ENTRY_FAILED', reason: `entry failed: ${text(p['reason'])}` };
    case 'PROVIDER_ORDER_CREATE':
      return {
        code: 'ORDER_PLACED',
        reason: `order ${text(p['id'])} placed: ${text(p['side'])} ${text(p['quantity'])} ${text(p['symbol'])}`,
      };
    default:
      return undefined;
  }
}

const OUTCOME_EVENTS = [
  'ADVISOR_DECISION_RESPONSE',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_ENTRY_DECLINED',
  'INSPECTOR_ENTRY_FAILED',
  'PROVIDER_ORDER_CREATE',
] as const;

/** Keeps each accepted alert's log entry up to date with what became of it (the first order placed is final). */
export function trackHookOutcomes(
  bus: Bus,
  repo: HooksRepository,
  onError: (err: unknown) => void,
): Promise<Subscription> {
  return bus.subscribe(OUTCOME_EVENTS, async (env) => {
    if (!env.correlationId?.startsWith('hook-')) return;
    const outcome = outcomeOf(env as AnyEventEnvelope);
    if (outcome) await repo.setOutcome(env.correlationId, outcome).catch(onError);
  });
}
