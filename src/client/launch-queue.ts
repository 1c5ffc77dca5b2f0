// Files the operating system opens with the installed app ("Open with… Flamediff"), through the
// manifest's `file_handlers` and the Launch Handler API:
// https://github.com/WICG/file-handling/blob/main/explainer.md
// Only Chromium browsers have `window.launchQueue`; elsewhere the file picker and drop cover it.

/** The part of LaunchParams we read (not in TypeScript's DOM library yet). */
export interface LaunchParams {
  readonly targetURL?: string;
  readonly files: ReadonlyArray<FileSystemHandle>;
}

export interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => unknown): void;
}

/**
 * Hands the files of every launch to `onFiles` (in the order given; empty launches, such as
 * starting the app from its icon, are skipped). A file that can no longer be read is left out
 * and named through `onError`. Returns whether this browser has a launch queue at all.
 */
export function consumeLaunchQueue(
  onFiles: (files: File[]) => void,
  onError: (message: string) => void = () => {},
  scope: { launchQueue?: LaunchQueue } = globalThis as { launchQueue?: LaunchQueue },
): boolean {
  const queue = scope.launchQueue;
  if (!queue || typeof queue.setConsumer !== 'function') return false;
  queue.setConsumer(async (params) => {
    const handles = (params?.files ?? []).filter((h): h is FileSystemFileHandle => h?.kind === 'file');
    const read = await Promise.all(
      handles.map((h) =>
        h.getFile().catch((e: unknown) => {
          onError(`Could not read ${h.name}: ${e instanceof Error ? e.message : String(e)}`);
          return null;
        }),
      ),
    );
    const files = read.filter((f): f is File => f !== null);
    if (files.length) onFiles(files);
  });
  return true;
}
