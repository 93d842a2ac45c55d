import { randomBytes } from 'node:crypto';
import { ErrorCode, connect } from 'nats';
import type { NatsConnection } from 'nats';
import { describeWithNats } from '@barfinex/testing';
import { createJetStreamPublisher } from './nats-js-publish';

const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

describeWithNats('JetStream publisher', () => {
  let nc: NatsConnection;
  let id: string;
  beforeEach(async () => {
    id = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    nc = await connect({ servers });
    await (await nc.jetstreamManager()).streams.add({ name: `JSPUB_${id}`, subjects: [`jspub${id}.>`] });
  });
  afterEach(async () => {
    await (await nc.jetstreamManager()).streams.delete(`JSPUB_${id}`).catch(() => undefined);
    await nc.close();
  });

  it('resolves once the stream stored the message, and stores a repeated msg id once', async () => {
    const js = createJetStreamPublisher(nc);
    await Promise.all([
      js.publish(`jspub${id}.a`, '{"n":1}', 'm1', 5_000),
      js.publish(`jspub${id}.a`, '{"n":2}', 'm2', 5_000),
      js.publish(`jspub${id}.a`, '{"n":1}', 'm1', 5_000),
    ]);
    const info = await (await nc.jetstreamManager()).streams.info(`JSPUB_${id}`);
    expect(info.state.messages).toBe(2);
    const stored = await (await nc.jetstreamManager()).streams.getMessage(`JSPUB_${id}`, { seq: 1 });
    expect(stored.header.get('Nats-Msg-Id')).toBe('m1');
    expect(js.pending).toBe(0);
  });

  it('sends the publishes of one turn of the event loop together, at its end', async () => {
    const js = createJetStreamPublisher(nc);
    const wire = jest.spyOn(nc, 'publish');
    const sent = [1, 2, 3].map((n) => js.publish(`jspub${id}.b`, `{"n":${n}}`, `t${n}`, 5_000));
    expect(wire).not.toHaveBeenCalled();
    expect(js.pending).toBe(3);
    await new Promise((r) => setImmediate(r));
    expect(wire).toHaveBeenCalledTimes(3);
    await Promise.all(sent);
    wire.mockRestore();
  });

  it('fails with no responders where no stream listens, and with a timeout where nothing answers', async () => {
    let now = 0;
    const js = createJetStreamPublisher(nc, { now: () => now });
    await expect(js.publish(`nostream${id}.a`, '{}', 'x1', 5_000)).rejects.toMatchObject({
      code: ErrorCode.NoResponders,
    });
    // A core subscriber that never answers: the publish has interest but gets no ack.
    nc.subscribe(`silent${id}.a`, { callback: () => undefined });
    const unanswered = js.publish(`silent${id}.a`, '{}', 'x2', 5_000);
    await nc.flush();
    now = 5_000;
    await expect(unanswered).rejects.toMatchObject({ code: ErrorCode.Timeout });
    expect(js.pending).toBe(0);
  });

  it('reports the stream refusing a message as a JetStream error', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: `JSPUBSMALL_${id}`, subjects: [`small${id}.>`], max_msg_size: 8 });
    try {
      const js = createJetStreamPublisher(nc);
      await expect(js.publish(`small${id}.a`, '{"too":"large"}', 'y1', 5_000)).rejects.toMatchObject({
        api_error: { err_code: expect.any(Number) },
      });
    } finally {
      await jsm.streams.delete(`JSPUBSMALL_${id}`).catch(() => undefined);
    }
  });

  it('fails what still waits when the connection closes', async () => {
    const js = createJetStreamPublisher(nc);
    nc.subscribe(`silent${id}.b`, { callback: () => undefined });
    const waiting = js.publish(`silent${id}.b`, '{}', 'z1', 60_000);
    await nc.close();
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
    nc = await connect({ servers });
  });
});
