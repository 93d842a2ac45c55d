// Where a webhook may point. Any holder of the notifier's token can create one, so its URL is judged
// like an app's baseUrl in the provider's registry: an allow-list of hosts when one is configured,
// and never a cloud metadata, link-local or unspecified address (also at connect time, through the
// guarded lookup, so a name that resolves elsewhere later is refused then).
import dns from 'node:dns';
import net from 'node:net';
import { badRequest, connectHost, forbidden, refusedAddress } from '@barfinex/service-kit';

export interface WebhookTargetPolicyOptions {
  /** NOTIFIER_WEBHOOK_ALLOWED_HOSTS (any case); empty allows any host not refused below. */
  allowedHosts?: readonly string[];
  allowMetadataAddresses?: boolean;
  /** Every address a name resolves to (default: the system resolver); a failure reads as none. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const systemResolve = (hostname: string): Promise<string[]> =>
  dns.promises.lookup(hostname, { all: true }).then(
    (found) => found.map((a) => a.address),
    () => [],
  );

export function createWebhookTargetPolicy(options: WebhookTargetPolicyOptions = {}) {
  const allowed = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const resolve = options.resolve ?? systemResolve;

  function parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw badRequest(`webhook url ${JSON.stringify(raw)} is not a URL`, { url: raw });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw badRequest('a webhook url is http or https', { url: raw });
    if (url.username !== '' || url.password !== '')
      throw badRequest('a webhook url carries no credentials; the signature authenticates the notifier', { url: raw });
    return url;
  }

  /** Without I/O: the allow-list and the address rules as they are now, whatever they were when the URL was stored. */
  function judge(raw: string): URL {
    const url = parse(raw);
    const host = connectHost(url).toLowerCase();
    if (allowed.size > 0 && !allowed.has(host))
      throw forbidden(`${host} is not among NOTIFIER_WEBHOOK_ALLOWED_HOSTS`, { host });
    const kind = options.allowMetadataAddresses ? undefined : refusedAddress(host);
    if (kind !== undefined)
      throw forbidden(
        `${host} is ${kind}; webhooks do not go there unless NOTIFIER_WEBHOOK_ALLOW_METADATA_ADDRESSES=true`,
        { host },
      );
    return url;
  }

  // Judged before every attempt, and the verdict on a string only changes with the options, which
  // are fixed for this policy: kept per URL (parsing and the address rules cost more than signing).
  const verdicts = new Map<string, URL | Error>();
  function check(raw: string): URL {
    let verdict = verdicts.get(raw);
    if (verdict === undefined) {
      try {
        verdict = judge(raw);
      } catch (err) {
        verdict = err instanceof Error ? err : new Error(String(err));
      }
      if (verdicts.size >= 10_000) verdicts.clear();
      verdicts.set(raw, verdict);
    }
    if (verdict instanceof Error) throw verdict;
    return verdict;
  }

  return {
    check,
    /** When a URL is stored: also what its name resolves to now. */
    async checkStored(raw: string): Promise<void> {
      const url = check(raw);
      if (options.allowMetadataAddresses) return;
      const host = connectHost(url).toLowerCase();
      if (net.isIP(host) !== 0 || host === 'localhost') return;
      for (const address of await resolve(host)) {
        const kind = refusedAddress(address);
        if (kind !== undefined) throw forbidden(`${host} resolves to ${address}, ${kind}`, { host, address });
      }
    },
  };
}
export type WebhookTargetPolicy = ReturnType<typeof createWebhookTargetPolicy>;
