import { useEffect, useRef } from 'preact/hooks';
import { KEY_LIST } from './keys';

/** The list of keys (`?`), as a modal dialog: Escape or the button closes it. */
export function KeyList({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="key-list" data-testid="key-list" aria-labelledby="key-list-title" onClose={onClose}>
      <h2 id="key-list-title">Keys</h2>
      {KEY_LIST.map((g) => (
        <section key={g.group}>
          <h3>{g.group}</h3>
          <table>
            <tbody>
              {g.keys.map((k) => (
                <tr key={k.what}>
                  <th scope="row">
                    {k.keys.map((key, i) => (
                      <>
                        {i > 0 && ' '}
                        <kbd>{key}</kbd>
                      </>
                    ))}
                  </th>
                  <td>{k.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <form method="dialog">
        <button data-testid="key-list-close">Close</button>
      </form>
    </dialog>
  );
}
