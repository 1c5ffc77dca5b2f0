import { describe, expect, it } from 'vitest';
import { detectFormat, openBytes } from './detect';
import { sniffCallgrind } from './callgrind';
import { sniffCpuprofile } from './cpuprofile';
import { fixture } from './test-helpers';

const sniffers = { callgrind: sniffCallgrind, cpuprofile: sniffCpuprofile };

function streamOf(bytes: Uint8Array, chunk = 1000): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= bytes.length) return c.close();
      c.enqueue(bytes.slice(i, i + chunk));
      i += chunk;
    },
  });
}

async function detect(bytes: Uint8Array, name = 'x'): Promise<string> {
  const { head } = await openBytes(streamOf(bytes));
  return detectFormat(head, name, sniffers);
}

describe('format detection', () => {
  it('reads each format by content, whatever the file is called', async () => {
    expect(await detect(fixture('c-crc-perf.base.folded'), 'profile.json')).toBe('folded');
    expect(await detect(fixture('callgrind-c-crc.base.out'), 'x.folded')).toBe('callgrind');
    expect(await detect(fixture('cpuprofile-js-json.base.cpuprofile'), 'x.txt')).toBe('cpuprofile');
  });

  it('sees a folded file whose first stack line is longer than the sniff window', async () => {
    const frames = Array.from({ length: 400 }, (_, i) => `frame_number_${i}`).join(';');
    expect(frames.length).toBeGreaterThan(4096);
    expect(await detect(new TextEncoder().encode(`${frames} 12\n${frames};leaf 3\n`))).toBe('folded');
  });

  it('finds gzip by its magic bytes and UTF-16 by its byte-order mark', async () => {
    const text = new TextDecoder().decode(fixture('c-crc-perf.base.folded'));
    const gz = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    expect(await detect(gz, 'profile.bin')).toBe('folded');
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      utf16[2 + i * 2] = text.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    expect(await detect(utf16)).toBe('folded');
  });

  it('says what a file looks like when it is not a profile', async () => {
    await expect(detect(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1]))).rejects.toThrow(/binary/);
    await expect(detect(new TextEncoder().encode('{"hello": 1}'))).rejects.toThrow(/JSON, but not a CPU profile/);
    await expect(detect(new Uint8Array(0))).rejects.toThrow(/empty/);
  });
});

describe('size limits', () => {
  it('refuses a .cpuprofile too big to be one string, with the figures, before reading it', async () => {
    const { parseStream } = await import('./index');
    const bytes = fixture('cpuprofile-js-json.base.cpuprofile');
    const stream = new Blob([bytes as BlobPart]).stream();
    await expect(parseStream(stream, 'huge.cpuprofile', { sizeHint: 600 * 2 ** 20 })).rejects.toMatchObject({
      format: 'cpuprofile',
      byte: 0,
      message: expect.stringMatching(/600 MB.*512 MB/),
    });
  });
});
