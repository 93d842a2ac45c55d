import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attemptSynthesis, SynthesisConfigSchema } from '../pipeline/stages/synthesis';
import { createOpenAiSynthesizer } from './openai-synthesizer';

interface Seen {
  url?: string;
  auth?: string;
  body?: { model: string; messages: { role: string; content: string }[] };
}

/** A tiny OpenAI-compatible server whose reply each test sets. */
function fakeServer() {
  const seen: Seen = {};
  let reply: { status: number; body: unknown; delayMs?: number } = { status: 200, body: {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      seen.body = JSON.parse(raw) as Seen['body'];
      const send = () =>
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  return {
    seen,
    set: (r: typeof reply) => (reply = r),
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const completion = (content: string) => ({ choices: [{ message: { role: 'assistant', content } }] });
const request = { symbol: 'BTCUSDT', direction: 'LONG', regime: 'TREND', conviction: 0.7, features: { trend: 0.8 } };

describe('OpenAI-compatible synthesizer', () => {
  const fake = fakeServer();
  let baseUrl: string;
  let synth: ReturnType<typeof createOpenAiSynthesizer>;
  beforeAll(async () => {
    baseUrl = await fake.start();
    synth = createOpenAiSynthesizer({ baseUrl, apiKey: 'sk-test', model: 'tiny', timeoutMs: 500 });
  });
  afterAll(async () => {
    synth.close();
    await fake.stop();
  });

  it('posts a chat completion with the key and the facts, and parses the JSON answer', async () => {
    fake.set({ status: 200, body: completion('{"verdict":"agree","confidence":0.8,"rationale":"trend intact"}') });
    await expect(synth.synthesize(request)).resolves.toEqual({
      verdict: 'agree',
      confidence: 0.8,
      rationale: 'trend intact',
    });
    expect(fake.seen.url).toBe('/v1/chat/completions');
    expect(fake.seen.auth).toBe('Bearer sk-test');
    expect(fake.seen.body?.model).toBe('tiny');
    expect(JSON.parse(fake.seen.body?.messages[1]?.content ?? '{}')).toEqual(request);
  });

  it('marks prose or out-of-schema answers as invalid (discarded), not as failures', async () => {
    const config = SynthesisConfigSchema.parse({ enabled: true, baseUrl });
    fake.set({ status: 200, body: completion('I think you should buy.') });
    expect((await attemptSynthesis(synth, request, config)).status).toBe('invalid');
    fake.set({ status: 200, body: completion('{"verdict":"agree","confidence":1.4,"rationale":"x"}') });
    expect((await attemptSynthesis(synth, request, config)).status).toBe('invalid');
  });

  it('maps an error reply and a timeout to failed attempts', async () => {
    const config = SynthesisConfigSchema.parse({ enabled: true, baseUrl });
    fake.set({ status: 500, body: { error: 'boom' } });
    expect(await attemptSynthesis(synth, request, config)).toMatchObject({ status: 'failed' });
    fake.set({ status: 200, body: completion('{}'), delayMs: 2000 });
    const timedOut = await attemptSynthesis(synth, request, config);
    expect(timedOut).toMatchObject({ status: 'failed', error: expect.stringContaining('did not answer in time') });
  });
});
