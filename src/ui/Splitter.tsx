import { useEffect, useRef, useState } from 'preact/hooks';

const KEY = 'flamediff.tableHeight';
/** The graph keeps at least this much height (CSS px) wherever the window allows it. */
export const MIN_GRAPH_PX = 250;
const MIN_TABLE_PX = 90;
const STEP_PX = 24;

function stored(): number | null {
  try {
    const v = Number(localStorage.getItem(KEY));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/**
 * The bar between the graph and the table: drag it, or focus it and use the arrow keys, to give one
 * more room; a double click gives the table its default share back. The height is kept in this
 * browser (local storage), clamped so the graph keeps MIN_GRAPH_PX.
 */
export function Splitter() {
  const bar = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(0);
  const main = () => bar.current?.parentElement ?? null;
  const set = (px: number | null) => {
    const m = main();
    if (!m) return;
    if (px === null) {
      m.style.removeProperty('--table-h');
      requestAnimationFrame(() => setNow(table()));
      try {
        localStorage.removeItem(KEY);
      } catch {
        /* storage off: the height lasts for this page */
      }
      return;
    }
    // The graph (the bar's previous sibling) gives up height only down to MIN_GRAPH_PX.
    const graph = (bar.current?.previousElementSibling as HTMLElement | null)?.offsetHeight ?? 0;
    const max = Math.max(MIN_TABLE_PX, table() + graph - MIN_GRAPH_PX);
    const h = Math.round(Math.min(max, Math.max(MIN_TABLE_PX, px)));
    m.style.setProperty('--table-h', `${h}px`);
    setNow(h);
    try {
      localStorage.setItem(KEY, String(h));
    } catch {
      /* storage off: the height lasts for this page */
    }
  };
  const table = () => (bar.current?.nextElementSibling as HTMLElement | null)?.offsetHeight ?? 0;

  useEffect(() => {
    const h = stored();
    if (h !== null) set(h);
    else setNow(table());
  }, []);

  return (
    <div
      ref={bar}
      class="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the graph and the table"
      aria-valuemin={MIN_TABLE_PX}
      aria-valuenow={now}
      tabIndex={0}
      data-testid="splitter"
      title="Drag to resize; double-click to reset"
      onPointerDown={(e) => {
        const el = e.currentTarget as HTMLElement;
        el.setPointerCapture(e.pointerId);
        const y0 = e.clientY;
        const h0 = table();
        const move = (ev: PointerEvent) => set(h0 - (ev.clientY - y0));
        const up = () => {
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
          el.removeEventListener('pointercancel', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
        el.addEventListener('pointercancel', up);
        e.preventDefault();
      }}
      onDblClick={() => set(null)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') set(table() + STEP_PX);
        else if (e.key === 'ArrowDown') set(table() - STEP_PX);
        else return;
        e.preventDefault();
      }}
    />
  );
}
