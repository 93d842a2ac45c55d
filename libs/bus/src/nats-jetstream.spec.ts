import { NatsError } from 'nats';
import type { JetStreamManager } from 'nats';
import { ensureStream } from './nats-jetstream';

const apiError = (code: number, description: string): NatsError => {
  const err = new NatsError(description, '500');
  err.api_error = { code: 500, err_code: code, description };
  return err;
};

/** A JetStream manager whose stream does not exist yet and whose `add` fails `failures` times first. */
function manager(failures: number, code = 10077) {
  const calls = { add: 0, info: 0 };
  const jsm = {
    streams: {
      info: async () => {
        calls.info += 1;
        throw apiError(10059, 'stream not found');
      },
      add: async () => {
        calls.add += 1;
        if (calls.add <= failures) throw apiError(code, 'error creating store for stream');
        return {};
      },
    },
  } as unknown as JetStreamManager;
  return { jsm, calls };
}

const limits = { maxAgeMs: 60_000, maxBytes: -1, maxMsgs: -1, duplicateWindowMs: 120_000 };

describe('ensureStream', () => {
  it('tries again when the server could not create the stream store (an account directory removed meanwhile)', async () => {
    const { jsm, calls } = manager(2);
    await ensureStream(jsm, 'S', ['a.>'], limits);
    expect(calls.add).toBe(3);
  });

  it('gives up after a few attempts, and never retries other refusals', async () => {
    const store = manager(10);
    await expect(ensureStream(store.jsm, 'S', ['a.>'], limits)).rejects.toMatchObject({
      api_error: { err_code: 10077 },
    });
    expect(store.calls.add).toBe(4);
    const other = manager(1, 10058);
    await expect(ensureStream(other.jsm, 'S', ['a.>'], limits)).rejects.toMatchObject({
      api_error: { err_code: 10058 },
    });
    expect(other.calls.add).toBe(1);
  });
});
