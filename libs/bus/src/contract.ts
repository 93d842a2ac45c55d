// The one behaviour suite every transport must pass (run by memory.spec.ts and nats.int.spec.ts).
import { afterEach, describe, expect, it } from '@jest/globals';
import { EventValidationError } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import {
  BAD_LIVE_PAYLOAD,
  DURABLE_EVENT,
  LIVE_EVENT,
  OTHER_LIVE_EVENT,
  durablePayload,
  livePayload,
  otherLivePayload,
} from './contract-fixtures';
import { BusError, BusNoRespondersError, BusRemoteError, BusTimeoutError } from './errors';
import { virtualPartition } from './subjects';
import { FIXED_NOW, eventually, type BusHarness, type BusHarnessFactory } from './contract-harness';
import type { BusErrorContext } from './types';

/**
 * `echo: false`: the transport's connection does not hear its own messages from the server and
 * hands them to its own subscriptions itself (see `echo` in the NATS bus options). Everything
 * below holds for it, except joining a queue group (refused instead) and answering its own requests.
 */
export function runBusContract(
  transport: string,
  makeHarness: BusHarnessFactory,
  capabilities: { echo?: boolean } = {},
): void {
  const echo = capabilities.echo !== false;
  describe(`Bus contract: ${transport}`, () => {
    const open: BusHarness[] = [];
    let errors: Array<{ err: Error; context: BusErrorContext }> = [];

    const setup = async (): Promise<BusHarness> => {
      errors = [];
      const harness = await makeHarness({
        onError: (err, context) => errors.push({ err, context }),
        now: () => FIXED_NOW,
      });
      open.push(harness);
      return harness;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((h) => h.close()));
    });

    it('delivers a published event with its envelope fields', async () => {
      const { bus } = await setup();
      const got: EventEnvelope[] = [];
      await bus.subscribe(LIVE_EVENT, (env) => void got.push(env));
      const sent = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1), {
        correlationId: 'corr-1',
        causationId: 'cause-1',
      });
      expect(sent).toMatchObject({
        type: LIVE_EVENT,
        source: 'PROVIDER',
        timestamp: FIXED_NOW,
        version: 1,
        symbol: 'BTCUSDT',
      });
      expect(sent.eventId).toMatch(/[0-9a-f-]{36}/);
      await eventually(() => expect(got).toHaveLength(1));
      expect(got[0]).toEqual(sent);
      expect(got[0]?.correlationId).toBe('corr-1');
      expect(bus.status()).toMatchObject({ connected: true, published: 1, received: 1 });
    });

    it('filters by symbol on the subject, symbols with unsafe characters included', async () => {
      const { bus } = await setup();
      const btc: EventEnvelope[] = [];
      const slash: EventEnvelope[] = [];
      await bus.subscribe(LIVE_EVENT, (env) => void btc.push(env), { symbol: 'BTCUSDT' });
      await bus.subscribe(LIVE_EVENT, (env) => void slash.push(env), { symbol: 'BTC/USDT' });
      for (const symbol of ['ETHUSDT', 'BTC_USDT', 'BTC.USDT', 'BTC/USDT', 'BTCUSDT']) {
        await bus.publish(LIVE_EVENT, livePayload(symbol, 1));
      }
      await eventually(() => expect(btc.length + slash.length).toBe(2));
      expect(btc.map((e) => e.symbol)).toEqual(['BTCUSDT']);
      expect(slash.map((e) => e.symbol)).toEqual(['BTC/USDT']);
    });

    it('subscribes to several names at once, and to every name', async () => {
      const { bus } = await setup();
      const some: string[] = [];
      const all: string[] = [];
      await bus.subscribe([LIVE_EVENT, OTHER_LIVE_EVENT], (env) => void some.push(env.type));
      await bus.subscribeAll((env) => void all.push(env.type));
      await bus.publish(OTHER_LIVE_EVENT, otherLivePayload());
      await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
      await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
      await eventually(() => expect(all).toHaveLength(3));
      await eventually(() => expect(some).toHaveLength(2));
      expect(some).toEqual([OTHER_LIVE_EVENT, LIVE_EVENT]);
      expect(all).toEqual([OTHER_LIVE_EVENT, LIVE_EVENT, DURABLE_EVENT]);
    });

    if (!echo)
      it('refuses to join a queue group, whose member the server would hand its own events to', async () => {
        const { bus } = await setup();
        await expect(bus.subscribe(LIVE_EVENT, () => undefined, { queue: 'workers' })).rejects.toMatchObject({
          code: 'BUS_INVALID_OPTIONS',
        });
      });

    // Not registered without echo: joining a queue group is refused there (above).
    const withEcho = echo ? it : () => undefined;
    withEcho('shares a queue group round-robin: every event to exactly one member', async () => {
      const { bus } = await setup();
      const members: string[][] = [[], []];
      const everyone: string[] = [];
      for (const ids of members)
        await bus.subscribe(LIVE_EVENT, (env) => void ids.push(env.eventId), { queue: 'workers' });
      await bus.subscribe(LIVE_EVENT, (env) => void everyone.push(env.eventId));
      const sent: string[] = [];
      for (let i = 0; i < 40; i += 1) sent.push((await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', i))).eventId);
      await eventually(() => expect(members.flat()).toHaveLength(40));
      await eventually(() => expect(everyone).toHaveLength(40));
      expect(new Set(members.flat())).toEqual(new Set(sent));
      for (const ids of members) expect(ids.length).toBeGreaterThan(0);
    });

    it('partitions symbols: each to exactly one member, the same one after re-subscribing', async () => {
      const { bus } = await setup();
      const symbols = Array.from({ length: 30 }, (_, i) => `SYM${i}USDT`);
      const round = async (): Promise<Map<string, number>> => {
        const seen = new Map<string, Set<number>>();
        let total = 0;
        const subs = await Promise.all(
          [0, 1, 2].map((index) =>
            bus.subscribe(
              LIVE_EVENT,
              (env) => {
                total += 1;
                const owners = seen.get(env.symbol ?? '') ?? new Set<number>();
                owners.add(index);
                seen.set(env.symbol ?? '', owners);
              },
              { partition: { index, count: 3 } },
            ),
          ),
        );
        for (const symbol of symbols) {
          await bus.publish(LIVE_EVENT, livePayload(symbol, 1));
          await bus.publish(LIVE_EVENT, livePayload(symbol, 2));
        }
        await eventually(() => expect(total).toBe(symbols.length * 2));
        await Promise.all(subs.map((s) => s.unsubscribe()));
        const owner = new Map<string, number>();
        for (const [symbol, owners] of seen) {
          expect([...owners]).toHaveLength(1);
          owner.set(symbol, [...owners][0] ?? -1);
        }
        return owner;
      };
      const first = await round();
      expect(first.size).toBe(symbols.length);
      for (const [symbol, index] of first) expect(index).toBe(virtualPartition(symbol) % 3);
      expect(new Set(first.values()).size).toBeGreaterThan(1);
      expect(await round()).toEqual(first);
    });

    it('rejects an invalid payload on publish with a typed error and sends nothing', async () => {
      const { bus } = await setup();
      const got: EventEnvelope[] = [];
      await bus.subscribe(LIVE_EVENT, (env) => void got.push(env));
      await expect(bus.publish(LIVE_EVENT, BAD_LIVE_PAYLOAD)).rejects.toBeInstanceOf(EventValidationError);
      const good = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
      await expect(bus.publishEnvelope({ ...good, payload: BAD_LIVE_PAYLOAD } as EventEnvelope)).rejects.toBeInstanceOf(
        EventValidationError,
      );
      await eventually(() => expect(got).toHaveLength(1));
      expect(got[0]?.eventId).toBe(good.eventId);
      expect(bus.status().published).toBe(1);
    });

    it('drops and reports garbage received on its subject, and keeps the subscriber alive', async () => {
      const harness = await setup();
      const { bus } = harness;
      const got: string[] = [];
      await bus.subscribe(LIVE_EVENT, (env) => void got.push(env.eventId));
      const first = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
      await eventually(() => expect(got).toEqual([first.eventId]));
      await harness.publishRaw(LIVE_EVENT, 'BTCUSDT', 'not json at all');
      await harness.publishRaw(LIVE_EVENT, 'BTCUSDT', JSON.stringify({ ...first, payload: { nonsense: true } }));
      await harness.publishRaw(
        LIVE_EVENT,
        'BTCUSDT',
        JSON.stringify({ ...first, type: OTHER_LIVE_EVENT, payload: otherLivePayload() }),
      );
      const second = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 2));
      await eventually(() => expect(errors.filter((e) => e.context.phase === 'receive')).toHaveLength(3));
      await eventually(() => expect(got).toEqual([first.eventId, second.eventId]));
      expect(errors.some((e) => e.err instanceof EventValidationError)).toBe(true);
    });

    it('keeps the subscription alive when its handler throws', async () => {
      const { bus } = await setup();
      const got: number[] = [];
      await bus.subscribe(LIVE_EVENT, (env) => {
        got.push(env.payload.time);
        if (got.length === 1) throw new Error('handler bug');
      });
      await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
      await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 2));
      await eventually(() => expect(got).toHaveLength(2));
      expect(errors.map((e) => [e.err.message, e.context.phase])).toEqual([['handler bug', 'handler']]);
    });

    it('calls a handler one message at a time, in order', async () => {
      const { bus } = await setup();
      const order: number[] = [];
      let running = 0;
      let maxRunning = 0;
      await bus.subscribe(LIVE_EVENT, async (env) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setImmediate(resolve));
        order.push(env.payload.time);
        running -= 1;
      });
      for (let i = 0; i < 20; i += 1) await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', i));
      await eventually(() => expect(order).toHaveLength(20));
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => livePayload('BTCUSDT', i).time));
      expect(maxRunning).toBe(1);
    });

    it('stops delivering after unsubscribe', async () => {
      const { bus } = await setup();
      const got: string[] = [];
      const marker: string[] = [];
      const sub = await bus.subscribe(LIVE_EVENT, (env) => void got.push(env.eventId));
      await bus.subscribe(LIVE_EVENT, (env) => void marker.push(env.eventId));
      await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
      await eventually(() => expect(got).toHaveLength(1));
      await sub.unsubscribe();
      await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 2));
      await eventually(() => expect(marker).toHaveLength(2));
      expect(got).toHaveLength(1);
    });

    it('delivers a durable event published while its durable consumer was down', async () => {
      const { bus } = await setup();
      const first: string[] = [];
      const sub = await bus.subscribe(DURABLE_EVENT, (env) => void first.push(env.eventId), { durable: 'audit' });
      const before = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
      await eventually(() => expect(first).toEqual([before.eventId]));
      await sub.unsubscribe();

      const whileDown = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 2));
      const live: string[] = [];
      await bus.subscribe(DURABLE_EVENT, (env) => void live.push(env.eventId));
      const again: string[] = [];
      await bus.subscribe(DURABLE_EVENT, (env) => void again.push(env.eventId), { durable: 'audit' });
      const after = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 3));
      await eventually(() => expect(again).toEqual([whileDown.eventId, after.eventId]));
      await eventually(() => expect(live).toEqual([after.eventId]));
    });

    it('gives each subscriber its own copy of a durable event it published itself, on every subscription', async () => {
      const { bus } = await setup();
      const live: EventEnvelope[] = [];
      const stored: EventEnvelope[] = [];
      const btc: EventEnvelope[] = [];
      await bus.subscribe(DURABLE_EVENT, (env) => void live.push(env));
      await bus.subscribe(DURABLE_EVENT, (env) => void stored.push(env), { durable: 'own' });
      await bus.subscribe(DURABLE_EVENT, (env) => void btc.push(env), { symbol: 'BTCUSDT' });
      const sent = await bus.publish(DURABLE_EVENT, durablePayload('ETHUSDT', 1));
      const built = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 2));
      // An envelope the caller built and validated itself goes out as it is.
      await bus.publishEnvelope({ ...built, eventId: `${built.eventId}-again` }, { validated: true });
      await eventually(() => expect([live.length, stored.length, btc.length]).toEqual([3, 3, 2]));
      expect(live[0]).toEqual(sent);
      expect(stored[0]).toEqual(sent);
      expect(btc.map((e) => e.eventId)).toEqual([built.eventId, `${built.eventId}-again`]);
      // What one subscriber does to its envelope reaches neither the others nor the publisher.
      (live[0]?.payload as { orderId: string }).orderId = 'changed';
      expect((stored[0]?.payload as { orderId: string }).orderId).toBe('order-1');
      expect(sent.payload.orderId).toBe('order-1');
    });

    it('redelivers a durable event whose handler failed, a bounded number of times', async () => {
      const { bus } = await setup();
      const attempts = new Map<number, number>();
      await bus.subscribe(
        DURABLE_EVENT,
        (env) => {
          const n = Number(env.payload.orderId.split('-')[1]);
          attempts.set(n, (attempts.get(n) ?? 0) + 1);
          if (n === 1 && (attempts.get(n) ?? 0) < 2) throw new Error('transient');
          if (n === 2) throw new Error('permanent');
        },
        { durable: 'retry' },
      );
      await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
      await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 2));
      await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 3));
      await eventually(() => expect([attempts.get(1), attempts.get(2), attempts.get(3)]).toEqual([2, 5, 1]));
      const failures = errors.filter((e) => e.context.phase === 'handler');
      expect(failures).toHaveLength(6);
      expect(failures.map((e) => e.context.attempt).sort()).toEqual([1, 1, 2, 3, 4, 5]);
    });

    withEcho('answers requests, returns handler errors, and times out', async () => {
      const { bus, id } = await setup();
      await bus.reply(`${id}.echo`, (data) => ({ echo: data }));
      await bus.reply(`${id}.fail`, () => {
        throw new BusError('BUS_INVALID_OPTIONS', 'bad request from the replier');
      });
      let release: () => void = () => undefined;
      await bus.reply(`${id}.slow`, () => new Promise<void>((resolve) => (release = resolve)));

      await expect(bus.request(`${id}.echo`, { n: 1 })).resolves.toEqual({ echo: { n: 1 } });
      const failure = bus.request(`${id}.fail`, {});
      await expect(failure).rejects.toBeInstanceOf(BusRemoteError);
      await expect(failure).rejects.toMatchObject({
        message: 'bad request from the replier',
        remoteCode: 'BUS_INVALID_OPTIONS',
      });
      await expect(bus.request(`${id}.slow`, {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(BusTimeoutError);
      release();
      await expect(bus.request(`${id}.nobody`, {}, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(BusNoRespondersError);
    });

    it('rejects bad subscribe options and unknown names', async () => {
      const { bus } = await setup();
      await expect(bus.subscribe('NOPE' as EventName, () => undefined)).rejects.toMatchObject({
        code: 'BUS_INVALID_OPTIONS',
      });
      await expect(
        bus.subscribe(LIVE_EVENT, () => undefined, { partition: { index: 3, count: 3 } }),
      ).rejects.toBeInstanceOf(BusError);
      await expect(
        bus.subscribe(LIVE_EVENT, () => undefined, { symbol: 'X', partition: { index: 0, count: 2 } }),
      ).rejects.toBeInstanceOf(BusError);
    });

    it('refuses work once closed', async () => {
      const harness = await setup();
      await harness.bus.close();
      await expect(harness.bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1))).rejects.toMatchObject({
        code: 'BUS_CLOSED',
      });
    });
  });
}
