// One POST to a receiver. Node's own client (not fetch) because the connection must go through the
// guarded lookup: the address is judged when the socket connects, after DNS has answered.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from '@barfinex/service-kit';

export interface PostResult {
  /** The receiver's status code; undefined when it never answered (refused, timed out, reset). */
  status?: number;
  latencyMs: number;
  error?: string;
}

export interface WebhookSender {
  post(url: URL, body: string | Buffer, headers: Record<string, string>): Promise<PostResult>;
  close(): void;
}

/** At most this much of a receiver's answer is read (and kept in the log as the reason of a failure). */
const MAX_ANSWER_BYTES = 512;

export function createWebhookSender(opts: {
  timeoutMs: number;
  allowMetadataAddresses?: boolean;
  now?: () => number;
}): WebhookSender {
  const now = opts.now ?? (() => performance.now());
  const lookup = opts.allowMetadataAddresses ? undefined : guardedLookup();
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  return {
    post(url, body, headers) {
      const started = now();
      const elapsed = () => Math.max(0, Math.round(now() - started));
      const secure = url.protocol === 'https:';
      return new Promise<PostResult>((resolve) => {
        const req = (secure ? https : http).request(
          url,
          {
            method: 'POST',
            agent: secure ? agents.https : agents.http,
            ...(lookup ? { lookup } : {}),
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'user-agent': 'barfinex-notifier',
              ...headers,
            },
            timeout: opts.timeoutMs,
          },
          (res) => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              // A success's answer is not kept: drained, not decoded.
              res.resume();
              res.on('end', () => resolve({ status, latencyMs: elapsed() }));
              res.on('error', (err) => resolve({ latencyMs: elapsed(), error: `answer cut off: ${err.message}` }));
              return;
            }
            let answer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (answer.length < MAX_ANSWER_BYTES) answer += chunk.slice(0, MAX_ANSWER_BYTES - answer.length);
            });
            res.on('end', () =>
              resolve({ status, latencyMs: elapsed(), error: `HTTP ${status}${answer ? `: ${answer}` : ''}` }),
            );
            res.on('error', (err) => resolve({ latencyMs: elapsed(), error: `answer cut off: ${err.message}` }));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
        req.on('error', (err: NodeJS.ErrnoException) =>
          resolve({ latencyMs: elapsed(), error: err.code ? `${err.code}: ${err.message}` : err.message }),
        );
        req.end(body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
