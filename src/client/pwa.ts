/// <reference types="vite-plugin-pwa/client" />
// The service worker (vite-plugin-pwa, Workbox generateSW, registerType 'prompt'): it precaches
// the app so it works offline; a new deployment installs beside the running one and waits until
// the user chooses to reload (the update prompt), so an open comparison is never swapped out.
import type { RegisterSWOptions } from 'vite-plugin-pwa/types';

export interface PwaStatus {
  /** A new version is installed and waiting: offer a reload. */
  needRefresh: boolean;
  /** The app is cached and works offline from now on. */
  offlineReady: boolean;
  /** Registration failed (e.g. a browser with service workers disabled): the app still works online. */
  error?: string;
}

type RegisterSW = (options?: RegisterSWOptions) => (reloadPage?: boolean) => Promise<void>;

/** How often a long-open tab asks the server for a new version (one small request for sw.js). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let status: PwaStatus = { needRefresh: false, offlineReady: false };
const listeners = new Set<(s: PwaStatus) => void>();
let updateSW: ((reloadPage?: boolean) => Promise<void>) | null = null;
let started = false;

function set(patch: Partial<PwaStatus>): void {
  status = { ...status, ...patch };
  listeners.forEach((l) => l(status));
}

/**
 * Registers the service worker once (later calls do nothing). `register` is for tests; the app
 * passes nothing and gets vite-plugin-pwa's, which is a no-op under `vite` dev.
 */
export async function startPwa(register?: RegisterSW): Promise<void> {
  if (started) return;
  started = true;
  try {
    const registerSW = register ?? (await import('virtual:pwa-register')).registerSW;
    updateSW = registerSW({
      onNeedRefresh: () => set({ needRefresh: true }),
      onOfflineReady: () => set({ offlineReady: true }),
      onRegisteredSW: (_url, registration) => {
        if (!registration) return;
        setInterval(() => {
          if (navigator.onLine !== false) registration.update().catch(() => {});
        }, UPDATE_CHECK_MS);
      },
      onRegisterError: (e: unknown) => set({ error: e instanceof Error ? e.message : String(e) }),
    });
  } catch (e) {
    set({ error: e instanceof Error ? e.message : String(e) });
  }
}

export function pwaStatus(): PwaStatus {
  return status;
}

/** Calls `listener` on every change; returns the unsubscribe function. */
export function onPwaStatus(listener: (s: PwaStatus) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Activates the waiting version; the page reloads once it has taken over. */
export async function updateApp(): Promise<void> {
  await updateSW?.(true);
}

/** "Later": hides the prompt; the new version takes over at the next visit. */
export function dismissUpdate(): void {
  set({ needRefresh: false });
}

export function dismissOfflineReady(): void {
  set({ offlineReady: false });
}
