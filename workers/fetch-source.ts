// Share-link downloads: into a Blob, with progress; the Blob is parsed, and kept for re-reading and history.
import type { Progress } from '../src/model/worker-api';

export class FetchError extends Error {}

/** Only http(s) is fetched: a link must not make the app read `file:`, `data:` or `blob:` URLs it was handed. */
export function checkProfileUrl(url: string, base?: string): URL {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    throw new FetchError(`"${url}" is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FetchError(`only http(s) URLs are loaded, not ${u.protocol}`);
  return u;
}

/**
 * Downloads a share link's file into a Blob, with progress. The bytes go to the Blob as they arrive
 * and never pass through this worker's memory: an XMLHttpRequest for a Blob is written to the
 * browser's blob storage directly. Reading the body here instead (fetch's stream, tee'd to a Blob
 * and the parser) held each file some three times over in the tab before the collector ran
 * (headless Chromium 156, two 16 MB files: 210 MB of private memory at the peak, against 62 MB
 * this way with both files then read whole). Parsing starts once the file is complete.
 */
export function fetchSource(url: string, onProgress?: (p: Progress) => void): Promise<Blob> {
  const u = checkProfileUrl(url, self.location?.href);
  if (typeof XMLHttpRequest === 'undefined') return fetchBlob(u);
  return new Promise<Blob>((resolve, reject) => {
    const x = new XMLHttpRequest();
    let total: number | undefined;
    let bytes = 0;
    x.open('GET', u.href);
    x.responseType = 'blob';
    // No cookies or HTTP authentication to another origin (as fetch's credentials: 'omit' for a cross-origin link).
    x.withCredentials = false;
    x.onreadystatechange = () => {
      if (x.readyState !== XMLHttpRequest.HEADERS_RECEIVED) return;
      // With Content-Encoding the body arrives decoded while Content-Length counts encoded bytes.
      const encoded = (x.getResponseHeader('content-encoding') ?? 'identity') !== 'identity';
      const length = Number(x.getResponseHeader('content-length'));
      total = !encoded && length > 0 ? length : undefined;
    };
    x.onprogress = (e) => {
      bytes = e.loaded;
      onProgress?.({ phase: 'download', bytes, total: total !== undefined && bytes <= total ? total : undefined });
    };
    x.onload = () => {
      if (x.status < 200 || x.status > 299) reject(new FetchError(`could not download ${u.href}: the server answered ${x.status} ${x.statusText}`.trim()));
      else resolve(x.response as Blob);
    };
    const failed = (why: string) => () =>
      reject(
        bytes > 0
          ? new FetchError(`the download of ${u.href} stopped after ${bytes} bytes (${why})`)
          : new FetchError(
              `could not download ${u.href}: the network failed, or the server does not allow cross-origin requests ` +
                `(it must send Access-Control-Allow-Origin). You can download the file and drop it here instead.`,
            ),
      );
    x.onerror = failed('the network failed');
    x.onabort = failed('aborted');
    x.ontimeout = failed('timed out');
    x.send();
  });
}

/** Without XMLHttpRequest (not in every worker runtime): fetch, into a Blob, without progress. */
async function fetchBlob(u: URL): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(u, { credentials: 'omit' });
  } catch {
    throw new FetchError(
      `could not download ${u.href}: the network failed, or the server does not allow cross-origin requests ` +
        `(it must send Access-Control-Allow-Origin). You can download the file and drop it here instead.`,
    );
  }
  if (!response.ok) throw new FetchError(`could not download ${u.href}: the server answered ${response.status} ${response.statusText}`.trim());
  try {
    return await response.blob();
  } catch (e) {
    throw new FetchError(`the download of ${u.href} stopped (${e instanceof Error ? e.message : String(e)})`);
  }
}
