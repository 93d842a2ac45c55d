import { platformRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { ReplayService } from './replay.service';

export function registerReplayRoutes(t: TypedRouter, deps: { replay: ReplayService }): void {
  t.add(r.replayStart, async ({ body }) => reply(202, await deps.replay.start(body)));
  t.add(r.replayStop, () => deps.replay.stop());
  t.add(r.replayStatus, () => deps.replay.status());
}
