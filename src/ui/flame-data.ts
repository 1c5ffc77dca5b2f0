// What the graph draws of a diff: widths by the view's geometry, colours by its Δ (or by name in
// Base and Head), new and removed frames striped, frames outside a highlight dimmed. One place for
// the page's graph and the command-line report's SVG.
import type { Diff } from '../model/diff-model';
import { changeShare, nodeLabel, widthsFor, type ViewSettings } from '../model/diff-view';
import { diffColour, dimmed, nameColour, striped } from '../render/colours';
import { DIMMED_ALPHA } from '../render/constants';
import type { FlameData } from '../render/flame-renderer';
import type { Theme } from '../render/theme';

const dim = (rgba: number) => dimmed(rgba, DIMMED_ALPHA);

export function diffFlameData(diff: Diff, settings: ViewSettings, highlight: Uint8Array | null, theme: Theme): FlameData {
  const t = diff.tree;
  const diffOf = (n: number) => {
    const c = diffColour(changeShare(diff, n, settings), theme);
    return (t.baseTotal[n] === 0) !== (t.headTotal[n] === 0) ? striped(c) : c;
  };
  const base = settings.tab === 'diff' || settings.tab === 'sandwich' ? diffOf : (n: number) => nameColour(nodeLabel(diff, n));
  return {
    tree: diff.tree,
    widths: widthsFor(diff, settings),
    colourOf: highlight ? (n) => (highlight[n] ? base(n) : dim(base(n))) : base,
    labelOf: (n) => nodeLabel(diff, n),
    theme,
  };
}
