// Share-link downloads: streamed with progress, kept as a Blob for re-reading and history.
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

export async function fetchSource(url: string, onProgress?: (p: Progress) => void): Promise<Blob> {
  const u = checkProfileUrl(url, self.location?.href);
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
  // With Content-Encoding the body arrives decoded while Content-Length counts encoded bytes.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = Number(response.headers.get('content-length'));
  const total = !encoded && length > 0 ? length : undefined;
  if (!response.body) return response.blob();
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    bytes += value.length;
    onProgress?.({ phase: 'download', bytes, total: total !== undefined && bytes <= total ? total : undefined });
  }
  return new Blob(parts as BlobPart[]);
}
