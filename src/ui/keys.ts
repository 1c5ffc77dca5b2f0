// The page's keyboard shortcuts, as data: what a key press asks for, and the list `?` shows.
// Keys follow speedscope's where the two overlap (Ctrl/Cmd+F search, + − 0 and arrows in the
// graph, r for recursion); the numbers pick the tabs in the order the toolbar shows them.
import type { Tab } from '../model/diff-view';

export type KeyAction = { kind: 'search' } | { kind: 'keys' } | { kind: 'tab'; tab: Tab } | { kind: 'toggle-recursion' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, a select or a contenteditable: plain keys are the field's. */
  typing: boolean;
}

/** The tabs in toolbar order; a single profile has its one tab. */
export function tabsFor(compare: 'pair' | 'base-only' | 'head-only' | null): Tab[] {
  if (!compare) return [];
  if (compare === 'base-only') return ['base'];
  if (compare === 'head-only') return ['head'];
  return ['base', 'head', 'diff', 'sandwich'];
}

/** What a key press asks of the page, or null (the browser's or the focused element's own). */
export function keyAction(k: KeyPress, tabs: Tab[]): KeyAction | null {
  const loaded = tabs.length > 0;
  if ((k.ctrlKey || k.metaKey) && !k.altKey && k.key.toLowerCase() === 'f') return loaded ? { kind: 'search' } : null;
  if (k.typing || k.ctrlKey || k.metaKey || k.altKey) return null;
  if (k.key === '?') return { kind: 'keys' };
  if (!loaded) return null;
  if (/^[1-9]$/.test(k.key)) {
    const tab = tabs[Number(k.key) - 1];
    return tab ? { kind: 'tab', tab } : null;
  }
  if (k.key === 'r') return { kind: 'toggle-recursion' };
  return null;
}

/** The list `?` opens, grouped as a reader looks for them. */
export const KEY_LIST: { group: string; keys: { keys: string[]; what: string }[] }[] = [
  {
    group: 'Anywhere',
    keys: [
      { keys: ['Ctrl F', '⌘ F'], what: 'search frames' },
      { keys: ['1', '2', '3', '4'], what: 'Base, Head, Diff, Sandwich tab' },
      { keys: ['r'], what: 'collapse recursion on or off' },
      { keys: ['?'], what: 'this list' },
    ],
  },
  {
    group: 'In the flame graph (click it or Tab to it first)',
    keys: [
      { keys: ['click'], what: 'zoom to a frame' },
      { keys: ['+', '−'], what: 'zoom in, out' },
      { keys: ['←', '→', '↑', '↓'], what: 'pan' },
      { keys: ['0', 'Esc'], what: 'whole graph' },
      { keys: ['Ctrl wheel'], what: 'zoom at the pointer' },
      { keys: ['drag'], what: 'pan' },
    ],
  },
  {
    group: 'In the table',
    keys: [
      { keys: ['↑', '↓', 'PgUp', 'PgDn', 'Home', 'End'], what: 'select another function (the graph zooms to it)' },
      { keys: ['Esc'], what: 'clear the selection' },
    ],
  },
];

/** Whether focus is somewhere that takes plain keys as text. */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(el.type);
  return (el as HTMLElement).isContentEditable === true;
}
