import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { detectFormat, openBytes } from './detect';
import { parseStream } from './index';
import { sniffCallgrind } from './callgrind';
import { sniffCpuprofile } from './cpuprofile';
import { fixture, streamOf } from '../../test/parse/test-helpers';

const sniffers = { callgrind: sniffCallgrind, cpuprofile: sniffCpuprofile };

async function detect(bytes: Uint8Array, name = 'x'): Promise<string> {
  const { head, gzip, utf16 } = await openBytes(streamOf(bytes));
  return detectFormat(head, name, sniffers, { gzip, utf16 });
}

const enc = new TextEncoder();

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
    await expect(detect(new Uint8Array(0))).rejects.toThrow(/^the file is empty$/);
  });

  it('says how an empty file came: gzip of nothing, a UTF-16 byte-order mark alone', async () => {
    await expect(detect(new Uint8Array(gzipSync(new Uint8Array(0))))).rejects.toThrow(/^the file is empty: its gzip data inflates to nothing$/);
    await expect(detect(Uint8Array.of(0xff, 0xfe))).rejects.toThrow(/^the file is empty: it holds only a UTF-16 byte-order mark$/);
    await expect(detect(Uint8Array.of(0xfe, 0xff))).rejects.toThrow(/^the file is empty: it holds only a UTF-16 byte-order mark$/);
    // Through the app's entry, with the format the bytes turned out to be.
    await expect(parseStream(new Blob([gzipSync(new Uint8Array(0))]).stream(), 'x.cpuprofile.gz')).rejects.toMatchObject({ byte: 0, message: 'the file is empty: its gzip data inflates to nothing' });
  });

  it('names other compressions (Flamediff gunzips only) rather than "binary data"', async () => {
    const pad = (magic: number[]) => Uint8Array.from([...magic, ...Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff)]);
    await expect(detect(pad([0x28, 0xb5, 0x2f, 0xfd]))).rejects.toThrow(/it is zstd-compressed: Flamediff reads gzip/);
    await expect(detect(pad([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).rejects.toThrow(/it is xz-compressed/);
    await expect(detect(pad([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))).rejects.toThrow(/it is bzip2-compressed/);
    await expect(detect(pad([0x50, 0x4b, 0x03, 0x04]))).rejects.toThrow(/it is a zip archive/);
    await expect(detect(new Uint8Array(gzipSync(gzipSync(fixture('c-crc-perf.base.folded')))))).rejects.toThrow(/gzip data inside gzip \(compressed twice\)/);
    // UTF-16 without its byte-order mark: every other byte is zero.
    const text = 'main;a;b 10\nmain;a 3\nmain;c;d 7\n';
    const le = Uint8Array.from([...text].flatMap((ch) => [ch.charCodeAt(0), 0]));
    const be = Uint8Array.from([...text].flatMap((ch) => [0, ch.charCodeAt(0)]));
    await expect(detect(le)).rejects.toThrow(/it looks like UTF-16 LE text without a byte-order mark/);
    await expect(detect(be)).rejects.toThrow(/it looks like UTF-16 BE text without a byte-order mark/);
    await expect(detect(new Uint8Array(100))).rejects.toThrow(/it looks like binary data/);
    // Text that merely starts with "BZh" is judged as text.
    await expect(detect(enc.encode('BZh is not a profile\n'))).rejects.toThrow(/the first line is "BZh is not a profile"/);
  });
});

describe('size limits', () => {
  it('refuses a .cpuprofile too big to read into memory, with the figures, before reading it', async () => {
    const bytes = fixture('cpuprofile-js-json.base.cpuprofile');
    const stream = new Blob([bytes as BlobPart]).stream();
    await expect(parseStream(stream, 'huge.cpuprofile', { sizeHint: 5 * 2 ** 30 })).rejects.toMatchObject({
      format: 'cpuprofile',
      byte: 0,
      message: expect.stringMatching(/5120 MB.*at most 4096 MB/),
    });
  });

  // The real limits are 4 GiB of bytes and 512 MB of text for JSON.parse; smaller ones stand in for them here.
  const limits = { jsonText: 16 * 1024, jsonBytes: 16 * 1024 };
  const profile = () => fixture('cpuprofile-js-json.base.cpuprofile');

  it('past the longest string, the byte reader still reads V8\'s layout; a layout it declines says why, and the limit', async () => {
    const past = { jsonText: 16 * 1024, jsonBytes: 2 ** 30 };
    expect(profile().length).toBeGreaterThan(past.jsonText);
    const read = await parseStream(new Blob([profile() as BlobPart]).stream(), 'x.cpuprofile', {}, undefined, past);
    const whole = await parseStream(new Blob([profile() as BlobPart]).stream(), 'x.cpuprofile');
    expect(read.profile.tree.total[0]).toBe(whole.profile.tree.total[0]);
    // Older Chrome's trace (one CpuProfile event holding the whole profile) is read from its bytes too.
    const trace = new TextEncoder().encode(`{"traceEvents":[{"name":"CpuProfile","ph":"I","pid":1,"tid":1,"ts":0,"args":{"data":{"cpuProfile":${new TextDecoder().decode(profile())}}}}]}`);
    expect((await parseStream(new Blob([trace as BlobPart]).stream(), 'trace.json', {}, undefined, past)).profile.tree.total[0]).toBe(whole.profile.tree.total[0]);
    // A layout the byte readers decline (the legacy one: a nested "head" tree) is refused past the longest string, saying why.
    const legacy = new TextEncoder().encode(JSON.stringify({ head: { functionName: '(root)', id: 1, children: [{ functionName: 'a', id: 2, hitCount: 1, url: 'x'.repeat(20_000) }] }, startTime: 0, endTime: 1, samples: [2], timestamps: [0] }));
    await expect(parseStream(new Blob([legacy as BlobPart]).stream(), 'old.cpuprofile', {}, undefined, past)).rejects.toMatchObject({
      format: 'cpuprofile',
      byte: 0,
      message: expect.stringMatching(/of JSON in a layout the byte reader does not read \(.*"head".*\), and the JSON\.parse reader behind it needs the file as one string, which browsers stop at about 16 kB/),
    });
  });

  it('a gzipped .cpuprofile that inflates past the limit: says the limit, the figures, and that it came gzipped', async () => {
    const gz = new Uint8Array(gzipSync(profile()));
    expect(gz.length).toBeLessThan(limits.jsonText);
    expect(profile().length).toBeGreaterThan(limits.jsonText);
    const fails = (sizeHint?: number) => parseStream(new Blob([gz]).stream(), 'big.cpuprofile.gz', { sizeHint }, undefined, limits);
    await expect(fails(gz.length)).rejects.toMatchObject({
      format: 'cpuprofile',
      byte: 0,
      message: expect.stringMatching(new RegExp(`^this \\.cpuprofile came gzipped: its ${Math.round(gz.length / 1024)} kB inflate to more than 16 kB of JSON text: a JSON profile is read whole into memory, and Flamediff reads at most 16 kB of one\\. Record a shorter profile`)),
    });
    // From a URL without Content-Length: how much of the compressed file it took.
    await expect(fails()).rejects.toMatchObject({ message: expect.stringMatching(/^this \.cpuprofile came gzipped: the first \d+ kB of it inflate to more than 16 kB of JSON text/) });
    // Under the limit the same file loads.
    const ok = await parseStream(new Blob([gz]).stream(), 'big.cpuprofile.gz', {}, undefined, { jsonText: profile().length, jsonBytes: profile().length });
    expect(ok.format).toBe('cpuprofile');
  });

  it('a plain stream past the limit without a size beforehand is refused as it is read; other formats are streams and have no such limit', async () => {
    await expect(parseStream(new Blob([profile() as BlobPart]).stream(), 'x.cpuprofile', {}, undefined, limits)).rejects.toMatchObject({
      byte: 0,
      message: expect.stringMatching(/^this \.cpuprofile is more than 16 kB: a JSON profile is read whole into memory/),
    });
    const folded = fixture('c-crc-perf.base.folded');
    expect(folded.length).toBeGreaterThan(limits.jsonText);
    expect((await parseStream(new Blob([folded as BlobPart]).stream(), 'x.folded', { sizeHint: folded.length }, undefined, limits)).format).toBe('folded');
  });

  it('UTF-16 holds a character in two bytes: the size beforehand is judged as text, and the text as it is read', async () => {
    const text = new TextDecoder().decode(profile());
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      utf16[2 + i * 2] = text.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    const roomy = { jsonText: (utf16.length - 2) / 2 + 8, jsonBytes: (utf16.length - 2) / 2 + 8 };
    expect(utf16.length).toBeGreaterThan(roomy.jsonText);
    // Twice the limit in bytes, under it in characters: loads.
    expect((await parseStream(new Blob([utf16]).stream(), 'x.cpuprofile', { sizeHint: utf16.length }, undefined, roomy)).format).toBe('cpuprofile');
    await expect(parseStream(new Blob([utf16]).stream(), 'x.cpuprofile', { sizeHint: utf16.length }, undefined, limits)).rejects.toMatchObject({
      message: expect.stringMatching(/^this \.cpuprofile is \d+ kB of UTF-16: \d+ kB of text: a JSON profile is read whole into memory/),
    });
  });
});
