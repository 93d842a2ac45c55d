import { badGateway, badRequest } from '@barfinex/service-kit';
import type { RegistryService } from '../registry/registry.service';

export type ParamsApplier = (
  appKey: string,
  detector: string,
  params: Record<string, unknown>,
) => Promise<{ appKey: string; detector: string; params: Record<string, unknown>; status: number }>;

/**
 * Applies parameters to a running detector through its own params API
 * (`PUT /detectors/:name/params` of the detector app), found in the app registry exactly as the
 * proxy finds it: the same allowlist checks and the app's own credential. The request itself is
 * a state-changing provider call, so the access layer's audit trail records it.
 */
export function createParamsApplier(deps: {
  registry: Pick<RegistryService, 'resolve'>;
  timeoutMs?: number;
}): ParamsApplier {
  return async (appKey, detector, params) => {
    const target = await deps.registry.resolve('detector', appKey);
    const url = `${target.baseUrl.replace(/\/+$/, '')}/detectors/${encodeURIComponent(detector)}/params`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          ...(target.apiToken ? { authorization: `Bearer ${target.apiToken}` } : {}),
        },
        body: JSON.stringify({ params }),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000),
      });
    } catch (err) {
      throw badGateway(`detector app "${appKey}" did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.status >= 400 && res.status < 500)
      throw badRequest(`detector app "${appKey}" refused the params (${res.status})`, { upstream: body });
    if (!res.ok) throw badGateway(`detector app "${appKey}" answered ${res.status}`, { upstream: body });
    return { appKey, detector, params, status: res.status };
  };
}
