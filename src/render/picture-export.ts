// The graph as an image for a pull request: a header that says what was compared (names,
// totals, verdict, unit, mode) and the legend, above the frames as drawn on screen. One layout
// for both images: SVG (text stays text) and PNG (the Canvas 2D drawer at 2×, so the pixels are
// the graph's own). Knows rectangles, text and colours, nothing of diffs.
import type { GraphPicture } from './flame-renderer';
import { CanvasDrawer } from './canvas-drawer';
import { isStriped, opaque, rgbaCss, stripeColour } from './colours';
import { LABEL_FONT, LABEL_FONT_SIZE, STRIPE_PERIOD_PX, STRIPE_WIDTH_PX } from './constants';
import type { Theme } from './theme';

export type Tone = 'title' | 'plain' | 'muted' | 'slower' | 'faster';

export interface PictureHeader {
  lines: { text: string; tone: Tone }[];
  /** Swatches under the lines; null where colours mean names (one profile alone). */
  legend: { label: string; colour: number | null; striped?: boolean }[] | null;
}

const PAD = 12;
const LINE_H = 20;
const TITLE_SIZE = 15;
const TEXT_SIZE = 13;
const SANS = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
/** The legend is set in the labels' monospace font, so each item's width is known without measuring (SVG cannot measure). */
const LEGEND_CHAR_PX = LABEL_FONT_SIZE * 0.62;
const SWATCH = 12;

interface Placed {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  bold: boolean;
  mono: boolean;
  colour: number;
}

interface Swatch {
  x: number;
  y: number;
  colour: number;
  striped: boolean;
}

/** Where the header's text and swatches go, in CssPx; the graph starts at `height`. */
export function headerLayout(header: PictureHeader, theme: Theme): { texts: Placed[]; swatches: Swatch[]; height: number } {
  const texts: Placed[] = [];
  const swatches: Swatch[] = [];
  let y = PAD;
  for (const line of header.lines) {
    const size = line.tone === 'title' ? TITLE_SIZE : TEXT_SIZE;
    y += LINE_H;
    texts.push({ text: line.text, x: PAD, y: y - (LINE_H - size) / 2, size, bold: line.tone === 'title' || line.tone === 'slower' || line.tone === 'faster', mono: false, colour: toneColour(line.tone, theme) });
  }
  if (header.legend) {
    y += LINE_H;
    let x = PAD;
    for (const item of header.legend) {
      if (item.colour !== null) {
        swatches.push({ x, y: y - LINE_H / 2 - SWATCH / 2, colour: item.colour, striped: !!item.striped });
        x += SWATCH + 5;
      }
      texts.push({ text: item.label, x, y: y - (LINE_H - LABEL_FONT_SIZE) / 2 - 1, size: LABEL_FONT_SIZE, bold: false, mono: true, colour: item.colour === null ? theme.muted : theme.text });
      x += item.label.length * LEGEND_CHAR_PX + 14;
    }
  }
  return { texts, swatches, height: y + PAD };
}

function toneColour(tone: Tone, theme: Theme): number {
  return tone === 'muted' ? theme.muted : tone === 'slower' ? theme.slowerText : tone === 'faster' ? theme.fasterText : theme.text;
}

const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, '0')}`;
const num = (v: number) => String(Math.round(v * 100) / 100);

/** Text as XML character data or an attribute value: markup escaped, and characters XML cannot hold (controls, lone surrogates) replaced. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The stripes of new/removed frames as drawn at 2×: STRIPE_WIDTH_PX of every STRIPE_PERIOD_PX DevicePx along "/". */
const STRIPE_P = STRIPE_PERIOD_PX / 2;
const STRIPE_W = STRIPE_WIDTH_PX / 2;

/**
 * The picture as SVG. `titleOf` gives a frame's tooltip (its hover card as text): each frame is then a
 * group with a <title>, and the labels let the pointer through to the frame under them.
 */
export function pictureSvg(pic: GraphPicture, header: PictureHeader, titleOf?: (node: number) => string | null): string {
  const theme = pic.theme;
  const head = headerLayout(header, theme);
  const width = pic.widthPx;
  const height = head.height + pic.heightPx;
  const patterns = new Map<number, string>();
  const stripeFill = (rgb: number) => {
    let id = patterns.get(rgb);
    if (!id) patterns.set(rgb, (id = `s${patterns.size}`));
    return `url(#${id})`;
  };
  const body: string[] = [];
  for (const s of head.swatches) {
    body.push(`<rect x="${num(s.x)}" y="${num(s.y)}" width="${SWATCH}" height="${SWATCH}" fill="${hex(opaque(s.colour, theme.surface))}"/>`);
    if (s.striped) body.push(`<rect x="${num(s.x)}" y="${num(s.y)}" width="${SWATCH}" height="${SWATCH}" fill="${stripeFill(stripeColour(s.colour, theme.surface))}"/>`);
  }
  for (const t of head.texts) body.push(svgText(t));
  body.push(`<g transform="translate(0 ${num(head.height)})">`);
  for (let k = 0; k < pic.count; k++) {
    const c = pic.colours[k];
    const x = pic.rects[k * 4];
    const w = pic.rects[k * 4 + 2];
    const attrs = `x="${num(x)}" y="${num(pic.rects[k * 4 + 1])}" width="${num(w > 3 ? w - 1 : w)}" height="${num(pic.rects[k * 4 + 3] - 1)}"`;
    const node = pic.nodes[k];
    const title = titleOf && node >= 0 ? titleOf(node) : null;
    const rect = `<rect ${attrs} fill="${hex(opaque(c, theme.surface))}"/>` + (isStriped(c) ? `<rect ${attrs} fill="${stripeFill(stripeColour(c, theme.surface))}"/>` : '');
    body.push(title === null ? rect : `<g><title>${escapeXml(title)}</title>${rect}</g>`);
  }
  if (titleOf) body.push('<g pointer-events="none">');
  for (const l of pic.labels) {
    body.push(svgText({ text: l.text, x: l.x, y: l.y + LABEL_FONT_SIZE * 0.85, size: LABEL_FONT_SIZE, bold: false, mono: true, colour: l.colour }));
  }
  if (titleOf) body.push('</g>');
  body.push('</g>');
  const defs = [...patterns].map(
    ([rgb, id]) =>
      `<pattern id="${id}" width="${STRIPE_P}" height="${STRIPE_P}" patternUnits="userSpaceOnUse"><path d="M0 0H${STRIPE_W}L0 ${STRIPE_W}ZM${STRIPE_P} 0V${STRIPE_W}L${STRIPE_W} ${STRIPE_P}H0Z" fill="${hex(rgb)}"/></pattern>`,
  );
  const title = header.lines[0]?.text ?? 'Flamediff';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}">`,
    `<title>${escapeXml(title)}</title>`,
    defs.length ? `<defs>${defs.join('')}</defs>` : '',
    `<rect width="100%" height="100%" fill="${hex(theme.surface)}"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function svgText(t: Placed): string {
  const family = escapeXml(t.mono ? LABEL_FONT : SANS);
  return `<text x="${num(t.x)}" y="${num(t.y)}" font-family="${family}" font-size="${t.size}"${t.bold ? ' font-weight="bold"' : ''} fill="${hex(t.colour)}">${escapeXml(t.text)}</text>`;
}

/** The same image as PNG, `scale` DevicePx per CssPx. */
export async function picturePng(pic: GraphPicture, header: PictureHeader, scale = 2): Promise<Blob> {
  const theme = pic.theme;
  const head = headerLayout(header, theme);
  const graph = document.createElement('canvas');
  const drawer = new CanvasDrawer(graph, pic.widthPx, pic.heightPx, { scale });
  drawer.setSurface(theme.surface);
  drawer.draw(pic.rects, pic.colours, pic.count, pic.labels);
  const out = document.createElement('canvas');
  out.width = Math.round(pic.widthPx * scale);
  out.height = Math.round((head.height + pic.heightPx) * scale);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is not available to draw the image');
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = hex(theme.surface);
  ctx.fillRect(0, 0, pic.widthPx, head.height);
  for (const s of head.swatches) {
    ctx.fillStyle = rgbaCss(s.colour);
    ctx.fillRect(s.x, s.y, SWATCH, SWATCH);
    if (s.striped) {
      ctx.fillStyle = hex(stripeColour(s.colour, theme.surface));
      for (let d = -SWATCH; d < SWATCH; d += STRIPE_P) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(s.x, s.y, SWATCH, SWATCH);
        ctx.clip();
        ctx.beginPath();
        ctx.moveTo(s.x + d, s.y + SWATCH);
        ctx.lineTo(s.x + d + SWATCH, s.y);
        ctx.lineTo(s.x + d + SWATCH + STRIPE_W, s.y);
        ctx.lineTo(s.x + d + STRIPE_W, s.y + SWATCH);
        ctx.fill();
        ctx.restore();
      }
    }
  }
  for (const t of head.texts) {
    ctx.font = `${t.bold ? 'bold ' : ''}${t.size}px ${t.mono ? LABEL_FONT : SANS}`;
    ctx.fillStyle = hex(t.colour);
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(fit(ctx, t.text, pic.widthPx - t.x - PAD), t.x, t.y);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(graph, 0, Math.round(head.height * scale));
  drawer.destroy();
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the image could not be encoded'))), 'image/png'));
}

/** The text cut with an ellipsis to `width` CssPx. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}
