// Which addresses an outbound connection chosen by a caller (the provider's proxy to a registered
// app, the notifier's webhooks) may never reach unless the operator opts in: a token holder can
// point such a URL anywhere, and these are where a server's secrets live (cloud metadata services
// hand out credentials) or where an address means "this machine" in disguise.
import dns from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import net from 'node:net';

function blockList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

// Each range also behind NAT64 (64:ff9b::/96, RFC 6052); IPv4-mapped IPv6 (::ffff:a.b.c.d) BlockList
// matches by itself.
const REFUSED: readonly { kind: string; list: net.BlockList }[] = [
  // Before link-local, so 169.254.169.254 is named for what it is.
  {
    kind: 'a cloud metadata address',
    list: blockList([
      '169.254.169.254',
      '169.254.170.2',
      '100.100.100.200',
      '192.0.0.192',
      'fd00:ec2::254',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::a9fe:aa02',
      '64:ff9b::6464:64c8',
      '64:ff9b::c000:c0',
    ]),
  },
  { kind: 'a link-local address', list: blockList(['169.254.0.0/16', 'fe80::/10', '64:ff9b::a9fe:0/112']) },
  // A connection to 0.0.0.0 or :: reaches this host; the rest of 0.0.0.0/8 is "this network".
  { kind: 'an unspecified address', list: blockList(['0.0.0.0/8', '::', '64:ff9b::/104']) },
];

/** Host names of metadata services, refused without asking DNS (which may not answer from here). */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
]);

/** Node's error code for a connection the guard refused (the proxy answers it with 403). */
export const ADDRESS_REFUSED = 'ERR_PROXY_ADDRESS_REFUSED';

/**
 * A URL's host as the proxy will connect to it: WHATWG URL parsing has already turned `127.1`,
 * `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1`; the brackets of an IPv6 literal and a
 * trailing dot (`metadata.google.internal.`) are dropped here.
 */
export function connectHost(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * What `host` (an IP address or a name) is when the proxy must not connect to it ("a link-local
 * address"), or undefined.
 */
export function refusedAddress(host: string): string | undefined {
  const lower = host.toLowerCase();
  if (METADATA_NAMES.has(lower)) return 'a cloud metadata address';
  const family = net.isIP(lower);
  if (family === 0) return undefined;
  return REFUSED.find(({ list }) => list.check(lower, family === 4 ? 'ipv4' : 'ipv6'))?.kind;
}

export type LookupFunction = NonNullable<net.TcpNetConnectOpts['lookup']>;
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function refusal(hostname: string, address: string, kind: string): NodeJS.ErrnoException {
  const what = address === hostname ? `${hostname} is ${kind}` : `${hostname} resolves to ${address}, ${kind}`;
  return Object.assign(new Error(`refused to connect: ${what}`), { code: ADDRESS_REFUSED });
}

/**
 * A `lookup` for `net.connect` that refuses names resolving to a refused address. It runs when the
 * connection is made, so a name that resolved elsewhere at registration (DNS rebinding) is caught
 * too; any refused address among the answers refuses the whole name.
 */
export function guardedLookup(resolve: typeof dns.lookup = dns.lookup): LookupFunction {
  const lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    const named = refusedAddress(hostname);
    if (named !== undefined) {
      callback(refusal(hostname, hostname, named), options.all === true ? [] : '', 4);
      return;
    }
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, options.all === true ? [] : '', 4);
        return;
      }
      for (const { address } of addresses) {
        const kind = refusedAddress(address);
        if (kind !== undefined) {
          callback(refusal(hostname, address, kind), options.all === true ? [] : '', 4);
          return;
        }
      }
      const first = addresses[0];
      if (options.all === true) callback(null, addresses);
      else if (first === undefined)
        callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      else callback(null, first.address, first.family);
    });
  };
  return lookup as unknown as LookupFunction;
}
