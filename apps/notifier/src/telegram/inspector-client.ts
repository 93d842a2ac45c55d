// The inspector's own API, reached through the provider's proxy (/api/inspectors/<key>/...), for
// the commands: the notifier holds the provider's token, never the inspector's.
import { badGateway } from '@barfinex/service-kit';

export interface InspectorClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export function createInspectorClient(opts: {
  providerUrl: string;
  token: string | undefined;
  inspectorKey: string;
  timeoutMs: number;
}): InspectorClient {
  const base = `${opts.providerUrl.replace(/\/+$/, '')}/api/inspectors/${encodeURIComponent(opts.inspectorKey)}`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const answer = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!res.ok)
      throw badGateway(`inspector answered ${res.status}${answer?.error?.message ? `: ${answer.error.message}` : ''}`, {
        status: res.status,
      });
    return answer as T;
  }
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
