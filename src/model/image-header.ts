// What an exported image says above the graph, so that pasted into a pull request it stands
// alone: both files, their totals, the verdict, the unit and every setting that changes what
// the frames mean. Words only; the image module sets them.
import type { SideInfo } from './diff-model';
import type { Compare } from './comparison-state';
import type { ViewSettings } from './diff-view';
import { describeVerdict, type Verdict } from './verdict';
import { formatCost, formatPercent, formatSigned } from './format-number';

export type HeaderTone = 'title' | 'plain' | 'muted' | 'slower' | 'faster';

export interface ImageHeaderInput {
  /** The whole runs as loaded (their totals, whatever the transforms). */
  base: SideInfo;
  head: SideInfo;
  compare: Compare;
  unitsComparable: boolean;
  settings: ViewSettings & { inverted: boolean; flame: boolean };
  /** The verdict line of this view, when it shows one (Diff tab, a pair). */
  verdict: Verdict | null;
  /** Transforms in words, and the frame zoomed to, if any. */
  transforms: string[];
  zoomedTo: string | null;
}

const TAB_NAMES = { diff: 'Diff', base: 'Base profile', head: 'Head profile', sandwich: 'Sandwich' } as const;

export function imageHeader(h: ImageHeaderInput): { text: string; tone: HeaderTone }[] {
  const lines: { text: string; tone: HeaderTone }[] = [];
  if (h.compare === 'pair') {
    lines.push({ text: `${h.base.name} → ${h.head.name}`, tone: 'title' });
    const sides = `base ${formatCost(h.base.total, h.base.unit)} (${h.base.format}) · head ${formatCost(h.head.total, h.head.unit)} (${h.head.format})`;
    const delta = h.head.total - h.base.total;
    const change = h.unitsComparable
      ? `change ${formatSigned(delta, h.head.unit)} (${formatPercent(h.base.total > 0 ? delta / h.base.total : NaN)})`
      : 'no overall change figure: the units differ';
    lines.push({ text: `${sides} · ${change}`, tone: 'plain' });
  } else {
    const side = h.compare === 'base-only' ? h.base : h.head;
    lines.push({ text: `${side.name} (${h.compare === 'base-only' ? 'base' : 'head'} only: nothing to compare with)`, tone: 'title' });
    lines.push({ text: `${formatCost(side.total, side.unit)} (${side.format})`, tone: 'plain' });
  }
  if (h.verdict) {
    const tone = h.verdict.kind === 'function' ? (h.verdict.share > 0 ? 'slower' : 'faster') : 'plain';
    lines.push({ text: describeVerdict(h.verdict), tone });
  }
  const s = h.settings;
  const unit = h.unitsComparable || h.compare !== 'pair' ? (h.compare === 'base-only' ? h.base.unit : h.head.unit) : `${h.base.unit} / ${h.head.unit}`;
  const facts = [TAB_NAMES[s.tab], `unit: ${unit}`];
  if (h.compare === 'pair' && s.tab === 'diff') {
    facts.push(s.mode === 'proportional' ? 'proportional (shares of each run)' : 'absolute');
    facts.push(`colour: ${s.colourBy} Δ`, `widths: ${s.geometry}`);
  }
  if (s.inverted) facts.push('inverted (callers below)');
  if (h.zoomedTo) facts.push(`zoomed to ${h.zoomedTo}`);
  for (const t of h.transforms) facts.push(t);
  facts.push('Flamediff');
  lines.push({ text: facts.join(' · '), tone: 'muted' });
  return lines;
}
