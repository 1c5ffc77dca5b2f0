// Share-link downloads: streamed with progress, kept as a Blob for re-reading and history.
import { pacedProgress } from './progress-pace';
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

export interface Download {
  /** The body as it arrives, for the parser: parsing overlaps the download. */
  stream: ReadableStream<Uint8Array>;
  /** The same bytes kept as a Blob (for re-reading and history), once complete. */
  blob: Promise<Blob>;
  /** Set when the body stopped arriving (network lost mid-way): the parser's error is then a download error. */
  failed: () => FetchError | null;
  /** Content-Length of an identity-encoded body. */
  size?: number;
}

export async function fetchSource(url: string, progress?: (p: Progress) => void): Promise<Download> {
  const onProgress = pacedProgress(progress);
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
  const body = response.body ?? (await response.blob()).stream();
  let bytes = 0;
  let failure: FetchError | null = null;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.length;
        onProgress?.({ phase: 'download', bytes, total: total !== undefined && bytes <= total ? total : undefined });
        controller.enqueue(chunk);
      },
    }),
  );
  const [forParser, forBlob] = counted.tee();
  const blob = new Response(forBlob).blob().catch((e: unknown) => {
    failure = new FetchError(`the download of ${u.href} stopped after ${bytes} bytes (${e instanceof Error ? e.message : String(e)})`);
    throw failure;
  });
  // The parser may finish (or fail) first; an unobserved rejection here is reported through failed().
  blob.catch(() => {});
  return { stream: forParser, blob, failed: () => failure, size: total };
}
