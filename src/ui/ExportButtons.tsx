import { useState } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import type { Compare } from '../model/comparison-state';
import { exportDiff } from '../model/export-json';
import { exportCsv } from '../model/export-csv';
import type { ViewState } from './url-state';

interface Props {
  diff: Diff;
  view: ViewState;
  compare: Compare;
  /** Whether the comparison came from URLs (local files can't be linked). */
  linkable: boolean;
  snapshot: () => string | null;
}

function download(name: string, href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function downloadText(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The export of exactly this view. One profile alone is not compared with itself: the side that
 * is not loaded is null in the header and in every row, and `compare` says which side is there.
 */
function exportView(diff: Diff, view: ViewState, compare: Compare) {
  const out = { ...exportDiff(diff, view.transforms), compare, mode: view.mode };
  if (compare === 'pair') return out;
  const missing = compare === 'base-only' ? 'head' : 'base';
  return { ...out, [missing]: null, functions: out.functions.map((f) => ({ ...f, [missing]: null })) };
}

/** Copy link and the exports: the view as a link, the table as JSON or CSV, the graph as an image. */
export function ExportButtons({ diff, view, compare, linkable, snapshot }: Props) {
  const [copied, setCopied] = useState(false);
  return (
    <span class="exports">
      <button
        data-testid="copy-link"
        disabled={!linkable}
        title={linkable ? 'Copy a link to this exact view' : 'Local files cannot be linked: publish them at a URL and open ?base=URL&head=URL'}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(location.href);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          } catch {
            window.prompt('Copy this link', location.href);
          }
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
      <button data-testid="export-json" title="The table and totals of this view, as JSON (schema in the README)" onClick={() => downloadText('flamediff.json', JSON.stringify(exportView(diff, view, compare), null, 1), 'application/json')}>
        JSON
      </button>
      <button data-testid="export-csv" title="The table of this view, as CSV" onClick={() => downloadText('flamediff.csv', exportCsv(diff, view.transforms), 'text/csv')}>
        CSV
      </button>
      <button
        data-testid="export-png"
        title="The graph as an image"
        onClick={() => {
          const url = snapshot();
          if (url) download('flamediff.png', url);
        }}
      >
        PNG
      </button>
    </span>
  );
}
