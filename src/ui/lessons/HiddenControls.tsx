// Teacher mode on the page: one style rule hides every control named in `_hide`, in every view and
// after every re-render; unknown names get one notice.
import { useEffect } from 'react';
import { hiddenCss, isHideable } from './hideable';

export function HiddenControls({ hide, notify }: { hide: readonly string[]; notify: (m: string) => void }) {
  const unknown = hide.filter((n) => !isHideable(n)).join(', ');
  useEffect(() => {
    if (unknown) notify(`_hide: no control named ${unknown} (the Lessons view lists the names).`);
  }, [unknown, notify]);
  const css = hiddenCss(hide);
  return css ? <style data-testid="hidden-controls">{css}</style> : null;
}
