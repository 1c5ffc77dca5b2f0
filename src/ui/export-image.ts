// The graph's PNG and SVG exports: the picture the renderer holds, under a header that says
// what was compared, with the legend of the colours shown.
import type { Diff } from '../model/diff-model';
import type { Compare } from '../model/comparison-state';
import { frameHeadline, frameNumbers, nodeLabel } from '../model/diff-view';
import { frameTitle } from '../model/frame-title';
import { imageHeader } from '../model/image-header';
import { describeTransform, type Transform } from '../model/transforms';
import { displayKey } from '../model/match-key';
import type { Verdict } from '../model/verdict';
import { diffColour, striped } from '../render/colours';
import { FULL_COLOUR_SHARE } from '../render/constants';
import type { FlameRenderer } from '../render/flame-renderer';
import { pictureSvg, picturePng, type PictureHeader } from '../render/picture-export';
import type { ViewState } from './url-state';
import type { Theme } from '../render/theme';
import { downloadBlob } from './download';

/** What an image's header speaks of. */
export interface HeaderSource {
  /** The whole run as loaded (its totals head the image) and the tree the graph shows. */
  run: Diff;
  shown: Diff;
  view: ViewState;
  compare: Compare;
  unitsComparable: boolean;
  verdict: Verdict | null;
  zoomNode: number | null;
}

export interface ImageSource extends HeaderSource {
  renderer: FlameRenderer | null;
}

/** The header and legend of an exported image (PNG, SVG, and the report's SVG). */
export function pictureHeader(s: HeaderSource, theme: Theme, rowsLeftOut: number): PictureHeader {
  const v = s.view;
  const lines = imageHeader({
    base: s.run.base,
    head: s.run.head,
    compare: s.compare,
    unitsComparable: s.unitsComparable,
    settings: v,
    verdict: s.compare === 'pair' && v.tab === 'diff' ? s.verdict : null,
    transforms: v.transforms.map((t: Transform) => describeTransform(t, displayKey)),
    zoomedTo: s.zoomNode !== null && s.zoomNode > 0 ? nodeLabel(s.shown, s.zoomNode) : null,
  });
  if (rowsLeftOut > 0) lines.push({ text: `${rowsLeftOut} deeper rows left out of this image`, tone: 'muted' });
  const diffColours = s.compare === 'pair' && v.tab === 'diff';
  const pct = Math.round(FULL_COLOUR_SHARE * 100);
  return {
    lines,
    legend: diffColours
      ? [
          { label: 'faster', colour: diffColour(-FULL_COLOUR_SHARE, theme) },
          { label: 'same', colour: diffColour(0, theme) },
          { label: 'slower', colour: diffColour(FULL_COLOUR_SHARE, theme) },
          { label: 'new/removed', colour: striped(diffColour(0, theme)), striped: true },
          { label: `(full colour: a change of ${pct}% of the whole run)`, colour: null },
        ]
      : null,
  };
}

/** Downloads the graph as `flamediff.png` (2×) or `flamediff.svg`; false when there is no graph to draw. */
export async function exportImage(kind: 'png' | 'svg', s: ImageSource): Promise<boolean> {
  const pic = s.renderer?.picture(2);
  if (!pic) return false;
  const h = pictureHeader(s, pic.theme, pic.rowsLeftOut);
  const blob = kind === 'svg' ? new Blob([pictureSvg(pic, h, s.view.tab === 'sandwich' ? undefined : titlesOf(s))], { type: 'image/svg+xml' }) : await picturePng(pic, h, 2);
  downloadBlob(`flamediff.${kind}`, blob);
  return true;
}

/** Each frame's tooltip in the SVG: its hover card, as the graph shows it (the tree shown, the view's settings). */
export function titlesOf(s: HeaderSource): (node: number) => string {
  const d = s.shown;
  const context = { units: { base: d.base.unit, head: d.head.unit }, tab: s.view.tab, single: s.compare !== 'pair', unitsComparable: s.unitsComparable };
  return (node) => frameTitle(frameNumbers(d, node, s.view), frameHeadline(d, node, s.view), context);
}
