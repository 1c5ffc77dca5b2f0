import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Props {
  label: string;
  testid: string;
  children: ComponentChildren;
}

/**
 * Controls shown inline while the toolbar row has room for them, and behind one menu button when it
 * has not (an 800 px window). Decided before the browser paints, from the controls' own inline width,
 * so the row never wraps and nothing below it moves.
 */
export function Fold({ label, testid, children }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [folded, setFolded] = useState(false);
  const [open, setOpen] = useState(false);

  const measure = () => {
    const h = host.current;
    const b = body.current;
    const row = h?.parentElement;
    if (!h || !b || !row || open) return;
    const style = getComputedStyle(row);
    const gap = parseFloat(style.columnGap) || 0;
    const room = row.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
    let others = 0;
    let count = 0;
    for (const el of row.children) {
      if (el === h || el.classList.contains('spacer')) continue;
      others += (el as HTMLElement).offsetWidth;
      count++;
    }
    const fits = others + count * gap + b.offsetWidth <= room;
    setFolded(!fits);
  };

  // Every render: what the controls hold changes with the tab and the loaded formats.
  useLayoutEffect(measure);
  useEffect(() => {
    const row = host.current?.parentElement;
    if (!row) return;
    const ro = new ResizeObserver(() => measure());
    ro.observe(row);
    return () => ro.disconnect();
  });
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !host.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  useEffect(() => {
    if (!folded) setOpen(false);
  }, [folded]);

  const state = !folded ? 'inline' : open ? 'open' : 'closed';
  return (
    <div class={`fold fold-${state}`} ref={host} data-testid={testid} data-fold={state}>
      {folded && (
        <button class="fold-toggle" data-testid={`${testid}-toggle`} aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)}>
          {label} ▾
        </button>
      )}
      <div class="fold-body" ref={body}>
        {children}
      </div>
    </div>
  );
}
