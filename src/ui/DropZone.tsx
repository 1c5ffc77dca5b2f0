import { useRef, useState } from 'preact/hooks';
import type { Side } from '../model/worker-api';
import type { SideInfo } from '../model/diff-model';
import { formatBytes } from '../model/format-number';

export interface SideStatus {
  info?: SideInfo;
  /** 0..1 while reading, undefined otherwise. */
  progress?: number;
  progressLabel?: string;
}

interface Props {
  side: Side;
  status: SideStatus;
  onFiles: (side: Side, files: File[]) => void;
}

/** One drop target with its own file picker; dropping two files on it fills both sides (handled by the page). */
export function DropZone({ side, status, onFiles }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const label = side === 'base' ? 'Base (before)' : 'Head (after)';
  return (
    <div
      class={`drop-zone ${over ? 'over' : ''} ${status.info ? 'filled' : ''}`}
      data-testid={`drop-${side}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length) onFiles(side, files);
      }}
    >
      <div class="drop-title">{label}</div>
      {status.info ? (
        <div class="drop-file" title={status.info.name}>
          {status.info.name} <span class="muted">· {status.info.format}</span>
        </div>
      ) : (
        <div class="muted">Drop a profile here, or</div>
      )}
      <label class="button">
        {status.info ? 'Replace…' : 'Choose file…'}
        <input
          ref={input}
          type="file"
          aria-label={`${label} profile file`}
          onChange={(e) => {
            const files = [...((e.target as HTMLInputElement).files ?? [])];
            if (files.length) onFiles(side, files);
            (e.target as HTMLInputElement).value = '';
          }}
        />
      </label>
      {status.progress !== undefined && (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(status.progress * 100)}>
          <div class="progress-bar" style={{ width: `${Math.min(100, status.progress * 100)}%` }} />
          <span>{status.progressLabel}</span>
        </div>
      )}
    </div>
  );
}

export function progressLabel(phase: string, bytes: number, total?: number): string {
  return `${phase === 'download' ? 'Downloading' : 'Reading'} ${formatBytes(bytes)}${total ? ` of ${formatBytes(total)}` : ''}`;
}
