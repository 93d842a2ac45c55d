// Where an app's baseUrl may point. The registry is the proxy's address book, and any token holder
// can write to it, so an address is judged before it is stored and again before every call.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import type { AppType } from '@barfinex/enums';
import { badRequest, connectHost, forbidden, refusedAddress } from '@barfinex/service-kit';
import type { AppError } from '@barfinex/service-kit';

/** Where this provider is reached: a baseUrl there would have the proxy call itself. */
export interface SelfAddress {
  /** The port it listens on (known once listening; port 0 in tests). */
  port: () => number;
  /** PROVIDER_HOST: the address it listens on (`0.0.0.0`/`::`: every local address). */
  host: string;
  /** PROVIDER_PUBLIC_URL: how others reach it (a TLS proxy in front, a load balancer). */
  publicUrl?: string | undefined;
  /** This machine's interface addresses (default: from `os.networkInterfaces()`). */
  localAddresses?: () => readonly string[];
}

export interface TargetPolicyOptions {
  /** PROVIDER_APP_ALLOWED_HOSTS (any case); empty allows any host not refused below. */
  allowedHosts?: readonly string[];
  /** PROVIDER_APP_ALLOW_METADATA_ADDRESSES: link-local, cloud metadata and unspecified addresses too. */
  allowMetadataAddresses?: boolean;
  self?: SelfAddress;
  /** Every address a name resolves to (default: the system resolver); a failure reads as none. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
const isLoopback = (address: string): boolean => {
  const family = net.isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
};
const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);
const MAPPED = /^::ffff:(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/;

/** An IPv4-mapped IPv6 address (`::ffff:7f00:1`) as the IPv4 address it reaches. */
function unmapped(address: string): string {
  const m = MAPPED.exec(address);
  if (m === null) return address;
  if (m[3] !== undefined) return m[3];
  const value = (parseInt(m[1] ?? '0', 16) << 16) | parseInt(m[2] ?? '0', 16);
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** A registration waits at most this long for DNS; the connect-time guard still judges the name later. */
const RESOLVE_TIMEOUT_MS = 2_000;

function systemResolve(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), RESOLVE_TIMEOUT_MS);
    timer.unref();
  });
  const answered = dns.promises.lookup(hostname, { all: true }).then(
    (found) => found.map((a) => a.address),
    () => [],
  );
  return Promise.race([answered, gaveUp]).finally(() => clearTimeout(timer));
}

function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

const refused = (what: string, details: Record<string, unknown>): AppError =>
  forbidden(`${what}; the proxy does not connect there unless PROVIDER_APP_ALLOW_METADATA_ADDRESSES=true`, details);

const portOf = (url: URL): number => (url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port));

function parse(baseUrl: string): URL | undefined {
  try {
    return new URL(baseUrl);
  } catch {
    return undefined;
  }
}

export function createTargetPolicy(options: TargetPolicyOptions = {}) {
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const resolve = options.resolve ?? systemResolve;
  const self = options.self;
  const publicUrl = self?.publicUrl ? parse(self.publicUrl) : undefined;
  // The per-call verdict depends on the URL alone: computed once per distinct baseUrl.
  const verdicts = new Map<string, AppError | null>();

  function judge(appType: AppType, appKey: string, baseUrl: string): AppError | null {
    const url = parse(baseUrl);
    const host = url === undefined ? '' : connectHost(url).toLowerCase();
    if (allowedHosts.size > 0 && !allowedHosts.has(host))
      return forbidden(`${appType} "${appKey}": ${host || baseUrl} is not among PROVIDER_APP_ALLOWED_HOSTS`, {
        appType,
        appKey,
        host,
      });
    const kind = options.allowMetadataAddresses ? undefined : refusedAddress(host);
    if (kind !== undefined) return refused(`${appType} "${appKey}": ${host} is ${kind}`, { appType, appKey, host });
    return null;
  }

  /** Whether a connection to `addresses` on `port` would reach this provider. */
  function reachesSelf(url: URL, addresses: readonly string[]): boolean {
    if (
      publicUrl !== undefined &&
      connectHost(publicUrl).toLowerCase() === connectHost(url).toLowerCase() &&
      portOf(publicUrl) === portOf(url)
    )
      return true;
    if (self === undefined || portOf(url) !== self.port()) return false;
    const listenHost = self.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    const everywhere = UNSPECIFIED.has(listenHost);
    const local = everywhere ? new Set((self.localAddresses ?? interfaceAddresses)()) : undefined;
    return addresses.map(unmapped).some((a) => {
      // A connection to 0.0.0.0 or :: lands on this host.
      if (UNSPECIFIED.has(a)) return true;
      if (everywhere) return isLoopback(a) || local?.has(a) === true;
      return a === listenHost || (listenHost === 'localhost' && isLoopback(a));
    });
  }

  return {
    /** The check before every proxied call (no I/O): 403 for a host that is not allowed. */
    check(appType: AppType, appKey: string, baseUrl: string): void {
      let verdict = verdicts.get(baseUrl);
      if (verdict === undefined) {
        verdict = judge(appType, appKey, baseUrl);
        if (verdicts.size >= 1024) verdicts.clear();
        // Cached without the app's names, which only decorate the message.
        if (verdict === null) verdicts.set(baseUrl, null);
      }
      if (verdict !== null) throw verdict;
    },

    /**
     * The check when a baseUrl is stored: also what a name resolves to now (403 for a refused
     * address, 400 for this provider itself). The proxy's connection guard repeats the address
     * check at connect time, when a name may resolve differently.
     */
    async checkRegistration(appType: AppType, appKey: string, baseUrl: string): Promise<void> {
      const verdict = judge(appType, appKey, baseUrl);
      if (verdict !== null) throw verdict;
      const url = parse(baseUrl);
      if (url === undefined) return;
      const host = connectHost(url).toLowerCase();
      const addresses =
        net.isIP(host) !== 0 ? [host] : host === 'localhost' ? ['127.0.0.1', '::1'] : await resolve(host);
      if (!options.allowMetadataAddresses) {
        for (const address of addresses) {
          const kind = refusedAddress(address);
          if (kind !== undefined)
            throw refused(`${appType} "${appKey}": ${host} resolves to ${address}, ${kind}`, {
              appType,
              appKey,
              host,
              address,
            });
        }
      }
      if (reachesSelf(url, addresses)) {
        throw badRequest(`${appType} "${appKey}": ${baseUrl} is this provider itself; proxying there would loop`, {
          appType,
          appKey,
          baseUrl,
        });
      }
    },
  };
}

export type TargetPolicy = ReturnType<typeof createTargetPolicy>;
