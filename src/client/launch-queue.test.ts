// The file-open path: the OS launches the installed app with files → launchQueue → onFiles.
import { describe, expect, it, vi } from 'vitest';
import { consumeLaunchQueue, type LaunchParams, type LaunchQueue } from './launch-queue';

/** Chromium's queue: launches before a consumer is set wait for it, later ones go straight to it. */
function fakeQueue() {
  let consumer: ((p: LaunchParams) => unknown) | null = null;
  const pending: LaunchParams[] = [];
  const queue: LaunchQueue = {
    setConsumer(c) {
      consumer = c;
      pending.splice(0).forEach((p) => c(p));
    },
  };
  const launch = async (params: LaunchParams) => {
    if (consumer) await consumer(params);
    else pending.push(params);
  };
  return { queue, launch };
}

const handle = (file: File) => ({ kind: 'file', name: file.name, getFile: async () => file }) as unknown as FileSystemFileHandle;

describe('consumeLaunchQueue', () => {
  it('returns false and does nothing without a launch queue', () => {
    const onFiles = vi.fn();
    expect(consumeLaunchQueue(onFiles, undefined, {})).toBe(false);
    expect(consumeLaunchQueue(onFiles)).toBe(false); // Node has no window.launchQueue
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('delivers the files of a launch, including one queued before the consumer was set', async () => {
    const { queue, launch } = fakeQueue();
    const base = new File(['main;crc 1\n'], 'base.folded', { lastModified: 1 });
    const head = new File(['{"nodes":[]}'], 'head.cpuprofile', { lastModified: 2 });
    await launch({ targetURL: 'https://app/', files: [handle(base), handle(head)] });

    const got: File[][] = [];
    let delivered!: () => void;
    const arrived = new Promise<void>((r) => (delivered = r));
    expect(consumeLaunchQueue((files) => { got.push(files); delivered(); }, undefined, { launchQueue: queue })).toBe(true);
    await arrived;
    expect(got).toHaveLength(1);
    expect(got[0].map((f) => f.name)).toEqual(['base.folded', 'head.cpuprofile']);
    expect(await got[0][0].text()).toBe('main;crc 1\n');

    const third = new File(['x'], 'callgrind.out.12345');
    await launch({ files: [handle(third)] });
    expect(got[1].map((f) => f.name)).toEqual(['callgrind.out.12345']);
  });

  it('skips empty launches and directories; names a file that cannot be read', async () => {
    const { queue, launch } = fakeQueue();
    const onFiles = vi.fn();
    const onError = vi.fn();
    consumeLaunchQueue(onFiles, onError, { launchQueue: queue });
    await launch({ files: [] });
    await launch({ files: [{ kind: 'directory', name: 'dir' } as FileSystemHandle] });
    expect(onFiles).not.toHaveBeenCalled();

    const gone = { kind: 'file', name: 'deleted.folded', getFile: async () => Promise.reject(new DOMException('A requested file could not be found.', 'NotFoundError')) } as unknown as FileSystemFileHandle;
    const ok = new File(['a 1\n'], 'ok.folded');
    await launch({ files: [gone, handle(ok)] });
    expect(onError).toHaveBeenCalledWith(expect.stringContaining('deleted.folded'));
    expect(onFiles).toHaveBeenCalledTimes(1);
    expect(onFiles.mock.calls[0][0].map((f: File) => f.name)).toEqual(['ok.folded']);
  });
});
