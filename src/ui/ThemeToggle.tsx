// Light / dark / follow-the-system theme, remembered in this browser.
import { useEffect, useState } from 'react';

type Theme = 'auto' | 'light' | 'dark';
const KEY = 'slp-theme';
const NEXT: Record<Theme, Theme> = { auto: 'light', light: 'dark', dark: 'auto' };

function stored(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'auto';
  } catch {
    return 'auto';
  }
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'auto') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Private mode or a full disk: the theme still applies for this visit.
    }
  }, [theme]);
  return (
    <button type="button" data-control="theme" aria-label={`Theme: ${theme}`} onClick={() => setTheme(NEXT[theme])}>
      Theme: {theme}
    </button>
  );
}
