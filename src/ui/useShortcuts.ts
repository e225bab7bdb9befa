// Space / S / R shortcuts, ignored while typing in a field.
import { useEffect, useRef } from 'react';

export function useShortcuts(handlers: { space: () => void; s: () => void; r: () => void }): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(t.tagName))) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') {
        e.preventDefault();
        ref.current.space();
      } else if (e.key === 's' || e.key === 'S') ref.current.s();
      else if (e.key === 'r' || e.key === 'R') ref.current.r();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
