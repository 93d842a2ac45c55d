import { freePort } from '@barfinex/testing';

const PORT_VARIABLES = ['PROVIDER_PORT', 'DETECTOR_PORT', 'ADVISOR_PORT', 'INSPECTOR_PORT', 'NOTIFIER_PORT'] as const;

/** A free local port for each app of a stack a test starts, as the variables the apps read. */
export async function freeAppPorts(): Promise<Record<(typeof PORT_VARIABLES)[number], string>> {
  const ports = await Promise.all(PORT_VARIABLES.map(() => freePort()));
  return Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, String(ports[i])])) as Record<
    (typeof PORT_VARIABLES)[number],
    string
  >;
}
