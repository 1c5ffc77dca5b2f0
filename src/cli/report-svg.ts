// The report's SVG: the diff view's graph, whole, under the header and legend of the app's image
// export (pictureSvg: text as text, names escaped). Light theme, 1200 px wide, as a pull request shows it.
import type { Diff } from '../model/diff-model';
import type { Verdict } from '../model/verdict';
import { DEFAULT_SETTINGS } from '../model/diff-view';
import { graphPicture } from '../render/picture';
import { pictureSvg } from '../render/picture-export';
import { LIGHT_THEME } from '../render/theme';
import { diffFlameData } from '../ui/flame-data';
import { pictureHeader, titlesOf } from '../ui/export-image';
import { DEFAULT_VIEW } from '../ui/url-state';

export const REPORT_SVG_WIDTH = 1200;

// Each frame carries its hover card as a <title>: a browser showing the artifact answers a hover as the app does.
export function reportSvg(d: Diff, verdict: Verdict, unitsComparable: boolean): string {
  const settings = { ...DEFAULT_SETTINGS, mode: unitsComparable ? ('absolute' as const) : ('proportional' as const) };
  const data = diffFlameData(d, settings, null, LIGHT_THEME);
  const pic = graphPicture(data, null, { start: 0, end: data.widths[0] > 0 ? data.widths[0] : 1, widthPx: REPORT_SVG_WIDTH, flame: false });
  const source = { run: d, shown: d, view: { ...DEFAULT_VIEW, ...settings }, compare: 'pair' as const, unitsComparable, verdict, zoomNode: null };
  return pictureSvg(pic, pictureHeader(source, LIGHT_THEME, pic.rowsLeftOut), titlesOf(source));
}
