import { useState } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import type { Compare } from '../model/comparison-state';
import { exportView } from '../model/export-json';
import { exportCsv } from '../model/export-csv';
import type { ViewState } from './url-state';
import { downloadBlob } from './download';

interface Props {
  diff: Diff;
  view: ViewState;
  compare: Compare;
  /** Whether the comparison came from URLs (local files can't be linked). */
  linkable: boolean;
  /** Downloads the graph as an image; null where no single graph is shown (Sandwich). */
  image: ((kind: 'png' | 'svg') => Promise<boolean>) | null;
}

function downloadText(name: string, text: string, type: string) {
  downloadBlob(name, new Blob([text], { type }));
}

/** Copy link and the exports: the view as a link, the table as JSON or CSV, the graph as PNG or SVG. */
export function ExportButtons({ diff, view, compare, linkable, image }: Props) {
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
      <button data-testid="export-json" title="The table and totals of this view, as JSON (schema in the README)" onClick={() => downloadText('flamediff.json', JSON.stringify(exportView(diff, view.transforms, compare, view.mode), null, 1), 'application/json')}>
        JSON
      </button>
      <button data-testid="export-csv" title="The table of this view, as CSV" onClick={() => downloadText('flamediff.csv', exportCsv(diff, view.transforms, view.mode), 'text/csv')}>
        CSV
      </button>
      {(['png', 'svg'] as const).map((kind) => (
        <button
          key={kind}
          data-testid={`export-${kind}`}
          disabled={!image}
          title={
            image
              ? `The graph of this view as ${kind === 'png' ? 'a PNG at twice the screen size' : 'an SVG (text stays text)'}, headed by both files, their totals, the verdict, unit and mode, and the legend`
              : 'Sandwich shows three graphs: open Diff, Base or Head to export one'
          }
          onClick={() => image?.(kind).catch((e) => window.alert(`The image could not be made: ${e instanceof Error ? e.message : String(e)}`))}
        >
          {kind.toUpperCase()}
        </button>
      ))}
    </span>
  );
}
