// In-page halves of the rendering benchmark, run with page.evaluate (each function is
// sent as source text: self-contained, no closures over this module).
//
// Events are dispatched from the page itself (synthetic MouseEvent/WheelEvent/KeyboardEvent
// on `.flame-host`), one per animation frame from inside requestAnimationFrame, where
// Chromium delivers real, frame-aligned input: no DevTools round trip between frames.

/** Records every `window.__flamediffRender` the app sets, with its time. Idempotent. */
export function installRecorder() {
  if (window.__renderBench) return;
  const rb = (window.__renderBench = { draws: [] });
  let last = window.__flamediffRender;
  Object.defineProperty(window, '__flamediffRender', {
    configurable: true,
    get: () => last,
    set: (v) => {
      last = v;
      rb.draws.push({ t: performance.now(), rects: v.rects, labels: v.labels, ms: v.ms, backend: v.backend });
    },
  });
}

/** The graph's size, its backend and how many rows fit. */
export function graphInfo() {
  const canvas = document.querySelector('[data-testid=flamegraph]');
  const host = canvas.closest('.flame-host');
  const box = host.getBoundingClientRect();
  return { width: box.width, height: box.height, backend: canvas.dataset.backend, devicePixelRatio: window.devicePixelRatio, rowHeight: 18 };
}

/**
 * Sets a view the way a user would: Escape (whole tree), `zoom` ctrl+wheel steps of 2× at
 * `anchor` (share of the width), then a plain wheel of `scrollTop` px down; waits for the
 * settling re-layout. Returns the settled frame's figures.
 */
export async function setView({ zoom, anchor, scrollTop }) {
  const host = document.querySelector('[data-testid=flamegraph]').closest('.flame-host');
  const box = host.getBoundingClientRect();
  const rb = window.__renderBench;
  const at = { clientX: box.left + anchor * box.width, clientY: box.top + box.height / 2, bubbles: true, cancelable: true, view: window };
  host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
  // exp(-ln 2) = 0.5: each step halves the visible span around the cursor.
  for (let i = 0; i < zoom; i++) host.dispatchEvent(new WheelEvent('wheel', { ...at, ctrlKey: true, deltaY: -100 * Math.LN2 }));
  if (scrollTop) host.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: scrollTop }));
  const from = performance.now();
  // The gesture's settling re-layout comes RELAYOUT_INTERVAL_MS (50 ms) after the last event.
  await new Promise((r) => setTimeout(r, 150));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const last = rb.draws[rb.draws.length - 1];
  return {
    rects: last.rects,
    labels: last.labels,
    scrollTop: Number(host.dataset.scrollTop ?? 0),
    settled: last.t >= from,
  };
}

/**
 * Plays `steps` one per animation frame and records the frames until the gesture has
 * settled (a frame begins 100 ms after the last draw and the last event).
 * steps: { type: 'zoom', deltaY } | { type: 'down' | 'move' | 'up', dx, dy } (drag, px from
 * the start point); all at `anchor` (share of the width), mid-height.
 * Returns rAF timestamps and the draws in between, relative to the first frame.
 */
export async function playGesture({ steps, anchor }) {
  const host = document.querySelector('[data-testid=flamegraph]').closest('.flame-host');
  const box = host.getBoundingClientRect();
  const rb = window.__renderBench;
  const x0 = box.left + anchor * box.width;
  const y0 = box.top + box.height / 2;
  const fire = (s) => {
    const base = { clientX: x0 + (s.dx ?? 0), clientY: y0 + (s.dy ?? 0), bubbles: true, cancelable: true, view: window };
    if (s.type === 'zoom') host.dispatchEvent(new WheelEvent('wheel', { ...base, ctrlKey: true, deltaY: s.deltaY }));
    else if (s.type === 'down') host.dispatchEvent(new MouseEvent('mousedown', { ...base, button: 0, buttons: 1 }));
    else if (s.type === 'move') host.dispatchEvent(new MouseEvent('mousemove', { ...base, button: 0, buttons: 1 }));
    else if (s.type === 'up') host.dispatchEvent(new MouseEvent('mouseup', { ...base, button: 0, buttons: 0 }));
  };
  const firstDraw = rb.draws.length;
  const frames = [];
  let i = 0;
  let lastEventAt = 0;
  await new Promise((resolve) => {
    const tick = (ts) => {
      frames.push(ts);
      if (i < steps.length) {
        fire(steps[i++]);
        lastEventAt = performance.now();
      } else {
        // Settled: 100 ms without a draw (the settling re-layout comes 50 ms after the last event that moved).
        const lastDraw = rb.draws.length > firstDraw ? rb.draws[rb.draws.length - 1].t : 0;
        if (ts - Math.max(lastDraw, lastEventAt) > 100 || performance.now() - lastEventAt > 5000) return resolve();
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = frames[0];
  return {
    frames: frames.map((t) => t - t0),
    draws: rb.draws.slice(firstDraw).map((d) => ({ ...d, t: d.t - t0 })),
  };
}

/**
 * Hover latency: `moves` mousemoves at random points of the view (`randoms`: two per attempt, drawn
 * in Node from the shared seeded PRNG, as the page cannot import it), each from
 * its dispatch to the hover card's content changing (a MutationObserver on the graph's
 * container: text and elements, not the card's position). A move that leaves the card
 * as it was (same frame, or a frame with identical numbers) or hides it (empty space)
 * is not counted. Waits a frame between moves, as a pointer would.
 */
export async function measureHover({ moves, randoms, maxAttempts }) {
  const host = document.querySelector('[data-testid=flamegraph]').closest('.flame-host');
  const box = host.getBoundingClientRect();
  const container = host.parentElement;
  const rowHeight = 18;
  const rows = Math.floor(box.height / rowHeight);
  let next = 0;
  const rand = () => randoms[next++];
  const card = () => container.querySelector('[data-testid=hover-card]');
  const text = () => card()?.textContent ?? null;
  let changedAt = null;
  const mo = new MutationObserver(() => {
    if (changedAt === null) changedAt = performance.now();
  });
  mo.observe(container, { childList: true, subtree: true, characterData: true });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const out = { latencies: [], unchanged: 0, empty: 0, attempts: 0, names: new Set() };
  let before = text();
  try {
    while (out.latencies.length < moves && out.attempts < maxAttempts) {
      out.attempts++;
      const x = box.left + 1 + rand() * (box.width - 2);
      // Rows nearer the root are fuller: squaring skews the pick towards them.
      const u = rand();
      const row = Math.floor(u * u * rows);
      const y = box.top + row * rowHeight + rowHeight / 2;
      changedAt = null;
      const t0 = performance.now();
      host.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true, cancelable: true, view: window, buttons: 0 }));
      // Preact renders in a microtask: the change, if any, is in before the next frame.
      await frame();
      if (changedAt === null) {
        // Give a slow render a generous while before calling it "unchanged".
        const until = performance.now() + 500;
        while (changedAt === null && performance.now() < until) await frame();
      }
      const now = text();
      if (changedAt === null || now === before) out.unchanged++;
      else if (now === null) out.empty++;
      else {
        out.latencies.push(changedAt - t0);
        out.names.add(card().querySelector('[data-testid=hc-name]')?.textContent ?? '');
      }
      before = now;
      await frame();
    }
  } finally {
    mo.disconnect();
  }
  host.dispatchEvent(new MouseEvent('mouseleave', { bubbles: false }));
  return { latencies: out.latencies, unchanged: out.unchanged, empty: out.empty, attempts: out.attempts, distinctNames: out.names.size };
}
