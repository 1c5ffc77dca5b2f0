// Light or dark: the system's choice unless the user picked one here (kept in local storage).
// Applied as <html data-theme>, before the first render, so a dark desktop never flashes white.
import { useEffect, useState } from 'preact/hooks';

export type SchemeChoice = 'system' | 'light' | 'dark';
export type Scheme = 'light' | 'dark';

const KEY = 'flamediff.colorScheme';
const query = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

export function storedChoice(): SchemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function resolveScheme(choice: SchemeChoice, systemDark: boolean): Scheme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

/** The choice after this one, in the order the header's button steps through. */
export function nextChoice(c: SchemeChoice): SchemeChoice {
  return c === 'system' ? 'dark' : c === 'dark' ? 'light' : 'system';
}

export function applyScheme(s: Scheme): void {
  document.documentElement.dataset.theme = s;
}

/** Sets <html data-theme> from what is stored and the system, at once (main.tsx, before rendering). */
export function applyStoredScheme(): void {
  applyScheme(resolveScheme(storedChoice(), !!query()?.matches));
}

export function useColorScheme(): { scheme: Scheme; choice: SchemeChoice; setChoice: (c: SchemeChoice) => void } {
  const [choice, setChoiceState] = useState<SchemeChoice>(storedChoice);
  const [systemDark, setSystemDark] = useState(() => !!query()?.matches);
  useEffect(() => {
    const q = query();
    if (!q) return;
    const on = () => setSystemDark(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  const scheme = resolveScheme(choice, systemDark);
  useEffect(() => applyScheme(scheme), [scheme]);
  const setChoice = (c: SchemeChoice) => {
    setChoiceState(c);
    try {
      if (c === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch {
      /* storage off: the choice lasts for this page */
    }
  };
  return { scheme, choice, setChoice };
}
