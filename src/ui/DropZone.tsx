import { useState } from 'preact/hooks';
import type { Side } from '../model/worker-api';
import type { SideState } from '../model/comparison-state';

interface Props {
  side: Side;
  state: SideState;
  onFiles: (side: Side, files: File[]) => void;
}

/** One drop target with its own file picker; two files at once (dropped or chosen) fill both sides. */
export function DropZone({ side, state, onFiles }: Props) {
  const [over, setOver] = useState(false);
  const label = side === 'base' ? 'Base (before)' : 'Head (after)';
  const name = state.status === 'empty' ? null : state.status === 'loaded' ? state.info.name : state.source.name;
  return (
    <div
      class={`drop-zone ${over ? 'over' : ''} ${state.status === 'loaded' ? 'filled' : ''} ${state.status}`}
      data-testid={`drop-${side}`}
      data-status={state.status}
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
      {name !== null ? (
        <div class="drop-file" title={name} data-testid={`file-${side}`}>
          {name} <span class="muted">· {state.status === 'loaded' ? state.info.format : state.status === 'failed' ? 'not read' : 'reading'}</span>
        </div>
      ) : (
        <div class="muted">Drop a profile here, or</div>
      )}
      <label class="button">
        {state.status === 'empty' ? 'Choose file…' : 'Replace…'}
        <input
          type="file"
          multiple
          aria-label={`${label} profile file`}
          onChange={(e) => {
            const files = [...((e.target as HTMLInputElement).files ?? [])];
            if (files.length) onFiles(side, files);
            (e.target as HTMLInputElement).value = '';
          }}
        />
      </label>
      {state.status === 'loading' && (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((state.progress ?? 0) * 100)}>
          <div class="progress-bar" style={{ width: `${Math.min(100, (state.progress ?? 0) * 100)}%` }} />
          <span>{state.progressLabel ?? 'Reading…'}</span>
        </div>
      )}
    </div>
  );
}
