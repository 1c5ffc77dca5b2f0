import { useEffect, useState } from 'preact/hooks';
import { dismissUpdate, onPwaStatus, pwaStatus, updateApp } from '../client/pwa';
import './history.css';

/** "A new version is available — Reload", shown once a new deployment is installed and waiting. */
export function UpdatePrompt() {
  const [status, setStatus] = useState(pwaStatus);
  useEffect(() => onPwaStatus(setStatus), []);
  if (!status.needRefresh) return null;
  return (
    <div class="update-prompt" role="status" data-testid="update-prompt">
      <span>A new version is available — </span>
      <button data-testid="update-reload" onClick={() => void updateApp()}>
        Reload
      </button>
      <button class="link" onClick={dismissUpdate}>
        Later
      </button>
    </div>
  );
}
