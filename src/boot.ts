// The page's first module: starts the engine worker and its phantom helpers, then loads the app. The app's
// modules (~2 MB: React, charts, niivue) take ~0.3 s to load and evaluate; started first, the workers load
// and compile their own scripts meanwhile instead of after.
import { linkPrefetch } from './state/link-prefetch';
import { startEngineEarly } from './worker/client';

// The link's phantoms: the helpers start on them while the engine loads (the first init asks for the same).
startEngineEarly(linkPrefetch(window.location.search));
import('./main').catch((err: unknown) => {
  // Without the app nothing else would say so: the page would stay blank.
  const root = document.getElementById('root');
  if (root)
    root.textContent = `The playground failed to load (${err instanceof Error ? err.message : String(err)}). Reload the page.`;
  throw err;
});
