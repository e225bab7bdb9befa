// Teacher mode on the page: <html data-hide> names the hidden controls and hidden.css hides them, in
// every view and after every re-render; unknown names get one notice.
import { useEffect } from 'react';
import { hideAttribute, isHideable } from './hideable';
import './hidden.css';

export function HiddenControls({ hide, notify }: { hide: readonly string[]; notify: (m: string) => void }) {
  const unknown = hide.filter((n) => !isHideable(n)).join(', ');
  useEffect(() => {
    if (unknown) notify(`_hide: no control named ${unknown} (the Lessons view lists the names).`);
  }, [unknown, notify]);
  const value = hideAttribute(hide);
  useEffect(() => {
    const root = document.documentElement;
    if (value) root.dataset.hide = value;
    else delete root.dataset.hide;
  }, [value]);
  return null;
}
