// The data a link's first start asks the engine to prefetch, read from the address alone: boot.ts gives it
// to the phantom helpers before the app has loaded. The same rule as the controller's first init.
import type { DataRequest } from '../engine/api';
import { cheapToPrefetch } from '../domain/phantom';
import { buildDataRequest } from './run-requests';
import { parseSettings, type Settings } from './settings';

/** What init prefetches for these settings (phantoms small enough to make before they are asked for). */
export function prefetchFor(settings: Settings): DataRequest | null {
  return cheapToPrefetch(settings.size) ? buildDataRequest(settings) : null;
}

export function linkPrefetch(search: string): DataRequest | null {
  return prefetchFor(parseSettings(search).settings);
}
