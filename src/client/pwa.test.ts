import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';

// pwa.ts keeps one registration per page: each test gets a fresh copy of the module.
async function load() {
  vi.resetModules();
  return import('./pwa');
}

describe('pwa', () => {
  let options: RegisterSWOptions | undefined;
  const update = vi.fn(async () => {});
  const register = vi.fn((o?: RegisterSWOptions) => {
    options = o;
    return update;
  });

  beforeEach(() => {
    options = undefined;
    update.mockClear();
    register.mockClear();
  });

  it('registers once and reports a waiting version until the user updates or dismisses', async () => {
    const pwa = await load();
    await pwa.startPwa(register);
    await pwa.startPwa(register);
    expect(register).toHaveBeenCalledTimes(1);
    expect(pwa.pwaStatus()).toEqual({ needRefresh: false, offlineReady: false });

    const seen: boolean[] = [];
    const stop = pwa.onPwaStatus((s) => seen.push(s.needRefresh));
    options!.onOfflineReady!();
    options!.onNeedRefresh!();
    expect(pwa.pwaStatus()).toEqual({ needRefresh: true, offlineReady: true });
    await pwa.updateApp();
    expect(update).toHaveBeenCalledWith(true);
    pwa.dismissUpdate();
    expect(seen).toEqual([false, true, false]);
    stop();
    options!.onNeedRefresh!();
    expect(seen).toHaveLength(3);
  });

  it('a failed registration is reported, not thrown', async () => {
    const pwa = await load();
    await pwa.startPwa(() => {
      throw new Error('service workers are disabled');
    });
    expect(pwa.pwaStatus().error).toBe('service workers are disabled');
    await expect(pwa.updateApp()).resolves.toBeUndefined();

    const again = await load();
    await again.startPwa(register);
    options!.onRegisterError!(new Error('bad MIME type'));
    expect(again.pwaStatus().error).toBe('bad MIME type');
  });
});
