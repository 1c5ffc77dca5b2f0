import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../model/format-number';
import type { History, HistoryEntry, HistoryFile, HistoryUsage } from '../store/history';
import './history.css';

interface Props {
  /** null while the database is being opened. */
  history: History | null;
  onOpen: (entryId: number) => void;
  /** Change it to make the list read the store again (the list also follows changes made through `history`). */
  refreshKey?: unknown;
}

const MiB = 1024 * 1024;

/** The kept comparisons, newest first. Every name is untrusted text and is rendered as a text node. */
export function HistoryList({ history, onOpen, refreshKey }: Props) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [usage, setUsage] = useState<HistoryUsage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const [changes, setChanges] = useState(0);
  /** The entry whose title is being edited. */
  const [renaming, setRenaming] = useState<number | null>(null);
  /** Escape: the edit ends without a rename (the input's blur, if any, follows). */
  const cancelled = useRef(false);

  useEffect(() => history?.subscribe(() => setChanges((n) => n + 1)), [history]);

  useEffect(() => {
    if (!history?.available) return;
    let live = true;
    void Promise.all([history.list(), history.usage()]).then(([list, use]) => {
      if (!live) return;
      setEntries(list);
      setUsage(use);
    });
    return () => {
      live = false;
    };
  }, [history, refreshKey, changes]);

  if (!history)
    return (
      <section class="history" data-testid="history" aria-label="History" aria-busy="true">
        <h2>History</h2>
      </section>
    );
  if (!history.available)
    return (
      <section class="history" data-testid="history" aria-label="History">
        <p class="history-off muted" data-testid="history-off">
          History is off: {history.reason}
        </p>
      </section>
    );

  const report = (r: { ok: true } | { ok: false; reason: string }) => setNotice(r.ok ? null : r.reason);
  const now = Date.now();
  const problem = notice ?? history.problem;
  return (
    <section class="history" data-testid="history" aria-label="History">
      <h2>History</h2>
      {problem && (
        <p class="history-notice" role="status">
          {problem}
        </p>
      )}
      {entries && entries.length === 0 && <p class="muted">Comparisons you open are kept here, in this browser only, and reopen offline.</p>}
      {entries && entries.length > 0 && (
        <ul class="history-items">
          {entries.map((e) => (
            <li key={e.id} class={`history-item ${e.damaged ? 'damaged' : ''}`} data-testid="history-item" data-id={e.id}>
              <div class="history-main">
                {e.damaged ? (
                  <span class="history-title">{e.title}</span>
                ) : renaming === e.id ? (
                  <input
                    class="history-rename-input"
                    data-testid="history-rename-input"
                    aria-label={`New name for ${e.title}`}
                    maxLength={300}
                    defaultValue={e.title}
                    ref={(el) => el?.focus()}
                    onKeyDown={(ev) => {
                      if (ev.key === 'Escape') {
                        cancelled.current = true;
                        setRenaming(null);
                      }
                      else if (ev.key === 'Enter') ev.currentTarget.blur();
                    }}
                    onBlur={async (ev) => {
                      const title = ev.currentTarget.value;
                      if (cancelled.current) return void (cancelled.current = false);
                      setRenaming(null);
                      if (title !== e.title) report(await history.rename(e.id, title));
                    }}
                  />
                ) : (
                  <button class="history-title link" data-testid="history-open" title={`Open ${e.title}`} onClick={() => onOpen(e.id)}>
                    {e.title}
                  </button>
                )}
                {e.verdict && (
                  <div class="history-verdict" data-testid="history-verdict">
                    {e.verdict}
                  </div>
                )}
                <div class="history-files muted">
                  {e.damaged ? (
                    <span>Damaged: {e.damaged}</span>
                  ) : (
                    <>
                      {e.base && <FileLine label="base" file={e.base} />}
                      {e.base && e.head && <span aria-hidden="true"> → </span>}
                      {e.head && <FileLine label="head" file={e.head} />}
                    </>
                  )}
                </div>
              </div>
              <time class="history-when muted" dateTime={new Date(e.createdAt).toISOString()} title={new Date(e.createdAt).toLocaleString()}>
                {relativeTime(e.createdAt, now)}
              </time>
              {!e.damaged && (
                <button class="history-rename" data-testid="history-rename" aria-label={`Rename ${e.title}`} onClick={() => {
                  cancelled.current = false;
                  setRenaming(e.id);
                }}>
                  Rename
                </button>
              )}
              <button class="history-delete" data-testid="history-delete" aria-label={`Delete ${e.title}`} onClick={async () => report(await history.remove(e.id))}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="history-footer muted">
        {usage && (
          <span data-testid="history-usage" data-value={usage.usedBytes}>
            {formatBytes(usage.usedBytes)} of {formatBytes(usage.capBytes)} used
            {usage.quotaBytes !== undefined && ` · the browser allows this site ${formatBytes(usage.quotaBytes)}`}
          </span>
        )}
        {usage && (
          <label class="history-cap">
            Keep up to{' '}
            <input
              type="number"
              min={1}
              step={1}
              value={Math.round(usage.capBytes / MiB)}
              data-testid="history-cap"
              onChange={async (ev) => {
                const input = ev.currentTarget;
                const mb = Number(input.value);
                if (!Number.isFinite(mb) || mb < 1) {
                  input.value = String(Math.round(usage.capBytes / MiB));
                  return;
                }
                const r = await history.setCap(mb * MiB);
                if (r.ok) setNotice(r.evicted ? `Removed the ${r.evicted === 1 ? 'oldest comparison' : `${r.evicted} oldest comparisons`} to fit the new cap.` : null);
                else report(r);
              }}
            />{' '}
            MB
          </label>
        )}
        {entries &&
          entries.length > 0 &&
          (confirmClear ? (
            <span class="history-confirm">
              Delete all {entries.length}?{' '}
              <button
                data-testid="history-clear-confirm"
                onClick={async () => {
                  setConfirmClear(false);
                  report(await history.clear());
                }}
              >
                Delete all
              </button>{' '}
              <button onClick={() => setConfirmClear(false)}>Cancel</button>
            </span>
          ) : (
            <button data-testid="history-clear" onClick={() => setConfirmClear(true)}>
              Clear all
            </button>
          ))}
      </div>
    </section>
  );
}

function FileLine({ label, file }: { label: string; file: HistoryFile }) {
  return (
    <span class="history-file" title={`${label}: ${file.name}`}>
      <span class="history-name">{file.name}</span> · {file.format} · {formatBytes(file.size)}
    </span>
  );
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", …; a date beyond a month. */
export function relativeTime(then: number, now: number): string {
  const s = Math.round((now - then) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return relative.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return relative.format(-h, 'hour');
  const d = Math.round(h / 24);
  if (d < 31) return relative.format(-d, 'day');
  return new Date(then).toLocaleDateString();
}
