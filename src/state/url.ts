// Settings <-> URL query. Unknown or invalid values are dropped with a notice, never a crash.
import { BACKENDS, type BackendChoice } from '../engine/train/backend-names';

export interface UrlSettings {
  backend: BackendChoice;
}

export const DEFAULT_URL_SETTINGS: UrlSettings = { backend: 'auto' };

export interface ParsedUrl {
  settings: UrlSettings;
  notices: string[];
}

export function parseSettings(search: string): ParsedUrl {
  const q = new URLSearchParams(search);
  const settings = { ...DEFAULT_URL_SETTINGS };
  const notices: string[] = [];
  const backend = q.get('backend');
  if (backend !== null) {
    if (backend === 'auto' || (BACKENDS as readonly string[]).includes(backend)) settings.backend = backend as BackendChoice;
    else notices.push(`Ignored backend=${backend}: expected auto, ${BACKENDS.join(', ')}.`);
  }
  return { settings, notices };
}
