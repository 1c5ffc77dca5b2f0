// A frame's hover card as plain text: the tooltip (<title>) of each frame in the SVG images, so a
// graph opened from a CI artifact answers a hover with the same words and figures as the app's card.
import type { FrameHeadline, FrameNumbers, Mode, Tab } from './diff-view';
import { formatCost, formatPercent, formatShare, formatSigned } from './format-number';

/** The card's words, shared by the hover card and the SVG's tooltips so that both say the same. */
export const ESTIMATED_BY_TRANSFORM = "≈ estimated: a transform moved callgrind's exact cost over a call tree the call graph does not determine";
export const ESTIMATED_BY_TREE =
  "≈ this frame's figures are estimated: callgrind records each function's cost and its calls', not each call path's (the table's are callgrind's own)";

export function presenceLabel(f: FrameNumbers): string | null {
  return f.presence === 'new' ? 'new in head' : f.presence === 'removed' ? 'removed in head' : null;
}

/** "within sampling noise" (or run-to-run variation) for a change nothing of which is painted; null otherwise. */
export function noiseNote(hl: FrameHeadline): string | null {
  return hl.beyondNoise === 0 && hl.shareOfRun !== 0 ? `within ${hl.runs ? 'run-to-run variation' : 'sampling noise'}` : null;
}

export interface TitleContext {
  units: { base: string; head: string };
  tab: Tab;
  /** One profile loaded (no head to compare). */
  single: boolean;
  unitsComparable: boolean;
}

/** What a frame's or function's share of change is of: the verdict's words (absolute: the base run's amount; proportional: a move in its share). */
export function shareWords(mode: Mode): string {
  return mode === 'proportional' ? 'in its share of the run' : 'of the overall run';
}

export function frameTitle(f: FrameNumbers, hl: FrameHeadline, c: TitleContext): string {
  const showDiff = c.tab === 'diff' && !c.single;
  const quantity = hl.quantity === 'self' ? 'self' : 'total';
  const approx = f.estimated || f.treeEstimate ? '≈' : '';
  const presence = presenceLabel(f);
  const lines = [showDiff && presence ? `${f.name} (${presence})` : f.name];
  if (f.file) lines.push(f.file);
  if (f.module) lines.push(`in ${f.module}`);
  if (f.estimated) lines.push(ESTIMATED_BY_TRANSFORM);
  else if (f.treeEstimate) lines.push(ESTIMATED_BY_TREE);
  if (showDiff) {
    let summary = `${quantity} ${approx}${formatPercent(hl.shareOfRun)} ${shareWords(hl.mode)}`;
    if (c.unitsComparable) summary += ` (${approx}${formatSigned(hl.delta, c.units.base)})`;
    const noise = noiseNote(hl);
    if (noise) summary += ` · ${noise}`;
    lines.push(summary);
  }
  const side = (name: string, self: number, total: number, share: number, unit: string) =>
    `${name}: self ${approx}${formatCost(self, unit)} · total ${approx}${formatCost(total, unit)} · ${formatShare(share)} of its run`;
  if (!c.single || c.tab === 'base') lines.push(side('base', f.baseSelf, f.baseTotal, f.baseShare, c.units.base));
  if (!c.single || c.tab === 'head') lines.push(side('head', f.headSelf, f.headTotal, f.headShare, c.units.head));
  if (showDiff && c.unitsComparable) {
    lines.push(`Δ: self ${approx}${formatSigned(f.deltaSelf, c.units.base)} · total ${approx}${formatSigned(f.delta, c.units.base)} · ${formatPercent(f.headShare - f.baseShare)} of its run`);
  }
  return lines.join('\n');
}
