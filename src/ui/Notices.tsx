import type { ParseErrorInfo } from '../model/profile';
import { describeError } from '../model/profile';
import type { Side } from '../model/worker-api';
import type { ViewWarning } from '../model/view-model';
import type { ComparisonState } from '../model/comparison-state';
import { describePairing } from '../model/pairing';

interface Props {
  errors: { side: Side; error: ParseErrorInfo }[];
  graphError: string | null;
  warnings: ViewWarning[];
  pairing: ComparisonState['pairing'];
  notice: string | null;
  onDismiss: () => void;
  onSwap: (() => void) | null;
  /** Focus the view on a function (a warning's offer); null where the view already has a focus. */
  onFocus: ((key: string) => void) | null;
}

/** Errors per side, warnings, how a two-file drop was paired: text on the page, never a tooltip. Names are rendered as text nodes only. */
export function Notices({ errors, graphError, warnings, pairing, notice, onDismiss, onSwap, onFocus }: Props) {
  return (
    <>
      {(errors.length > 0 || graphError) && (
        <div class="error" role="alert">
          {errors.map(({ side, error }) => (
            <div key={side} data-side={side}>
              <strong>
                {side === 'base' ? 'Base' : 'Head'}: could not read {error.file || 'the profile'}.
              </strong>{' '}
              {describeError(error)}
            </div>
          ))}
          {graphError && <div data-side="graph">{graphError}</div>}
        </div>
      )}
      {warnings
        .filter((w) => !w.focus || onFocus)
        .map((w, i) => (
          <div key={i} class="warning" data-testid="warning" data-side={w.side}>
            <strong>{w.side ? `${w.side === 'base' ? 'Base' : 'Head'}: ` : ''}</strong>
            {w.text}
            {w.focus && onFocus && (
              <>
                {' '}
                <button data-testid="warning-focus" onClick={() => onFocus(w.focus!.key)}>
                  Focus on {w.focus.name}
                </button>
              </>
            )}
          </div>
        ))}
      {pairing && (
        <div class="notice" data-testid="pairing" data-rule={pairing.rule}>
          {describePairing(pairing)}
          {onSwap && (
            <>
              {' '}
              <button onClick={onSwap}>Swap</button>
            </>
          )}
        </div>
      )}
      {notice && (
        <div class="notice" role="status">
          {notice} <button onClick={onDismiss}>Dismiss</button>
        </div>
      )}
    </>
  );
}
