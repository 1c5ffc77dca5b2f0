import { describe, expect, it } from 'vitest';
import { LineSplitter, chunksOf, decodeUtf8, forEachLine, readAll } from './lines';

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Line {
  text: string;
  line: number;
  byteOffset: number;
}

/** What every splitter must give: split on LF, one CR before it dropped; no line after a final LF. */
function expected(text: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  const parts = text.split('\n');
  parts.forEach((p, i) => {
    if (i === parts.length - 1 && p === '') return;
    out.push({ text: p.endsWith('\r') ? p.slice(0, -1) : p, line: i + 1, byteOffset: offset });
    offset += enc.encode(p).length + 1;
  });
  return out;
}

async function split(bytes: Uint8Array, chunk: number, noBreakIn: (s: LineSplitter) => number = () => 0): Promise<Line[]> {
  const out: Line[] = [];
  const lines = new LineSplitter();
  const take = () => out.push({ text: dec.decode(lines.buf.subarray(lines.start, lines.end)), line: lines.line, byteOffset: lines.byteOffset });
  for await (const c of chunksOf(bytes, chunk)) {
    lines.push(c);
    while (lines.next(noBreakIn(lines))) take();
  }
  lines.close();
  while (lines.next()) take();
  return out;
}

const TEXTS = ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\n', '\r\n', 'x\r', 'long line without a break '.repeat(20), 'é;ü 1\nb 2\n', 'a\n\nb\n'];

describe('LineSplitter', () => {
  it('gives every line with its number and offset, whatever the chunks', async () => {
    for (const text of TEXTS) {
      for (const chunk of [1, 2, 3, 7, 1 << 16]) expect(await split(enc.encode(text), chunk), `${JSON.stringify(text)} / ${chunk}`).toEqual(expected(text));
    }
  });

  it('after close(), yields exactly the text no line break ended, if any: how parsers tell a file cut mid-line', async () => {
    for (const text of TEXTS) {
      for (const chunk of [1, 2, 3, 7, 1 << 16]) {
        const lines = new LineSplitter();
        for await (const c of chunksOf(enc.encode(text), chunk)) {
          lines.push(c);
          while (lines.next());
        }
        lines.close();
        const after: string[] = [];
        while (lines.next()) after.push(dec.decode(lines.buf.subarray(lines.start, lines.end)));
        const tail = text.slice(text.lastIndexOf('\n') + 1);
        expect(after, `${JSON.stringify(text)} / ${chunk}`).toEqual(tail === '' ? [] : [tail.replace(/\r$/, '')]);
      }
    }
  });

  it('says which lines are in its carry buffer, and keeps lines in chunks readable', async () => {
    const bytes = enc.encode('first\nsecond line\nthird\n'); // chunks: 'first\nse' 'cond lin' 'e\nthird\n'
    const lines = new LineSplitter();
    const seen: { text: string; carried: boolean; buf: Uint8Array; start: number; end: number }[] = [];
    for await (const c of chunksOf(bytes, 8)) {
      lines.push(c);
      while (lines.next()) seen.push({ text: dec.decode(lines.buf.subarray(lines.start, lines.end)), carried: lines.carried, buf: lines.buf, start: lines.start, end: lines.end });
    }
    lines.close();
    while (lines.next()) seen.push({ text: '?', carried: lines.carried, buf: lines.buf, start: lines.start, end: lines.end });
    expect(seen.map((s) => [s.text, s.carried])).toEqual([
      ['first', false],
      ['second line', true],
      ['third', false],
    ]);
    // A line read from a chunk is still there after later lines were read.
    expect(dec.decode(seen[0].buf.subarray(seen[0].start, seen[0].end))).toBe('first');
  });

  it('skips the bytes its caller vouches for, and only in the current chunk', async () => {
    const text = 'abc;def 1\nabc;xyz 2\nabc 3\n';
    const bytes = enc.encode(text);
    for (const chunk of [1, 4, 5, 11, 100]) {
      // Vouch for as much of the coming line as has no line break, as the folded parser does.
      const vouch = (s: LineSplitter) => {
        const at = s.nextStart;
        if (at < 0) return 0;
        let n = 0;
        while (at + n < s.chunk.length && s.chunk[at + n] !== 10) n++;
        return n;
      };
      expect(await split(bytes, chunk, vouch), `chunk ${chunk}`).toEqual(expected(text));
    }
    // A pending cut line is not in the current chunk: what a caller says about `chunk` does not apply to it.
    const lines = new LineSplitter();
    lines.push(enc.encode('ab'));
    expect(lines.next()).toBe(false);
    expect(lines.nextStart).toBe(-1);
    lines.push(enc.encode('c\nd\n'));
    expect(lines.nextStart).toBe(-1);
    expect(lines.next(3)).toBe(true);
    expect(dec.decode(lines.buf.subarray(lines.start, lines.end))).toBe('abc');
    expect(lines.nextStart).toBe(2);
  });

  it('gives a DataView of the line’s buffer at the same indices', async () => {
    const lines = new LineSplitter();
    for await (const c of chunksOf(enc.encode('hello world\nhi\n'), 5)) {
      lines.push(c);
      while (lines.next()) {
        for (let i = lines.start; i < lines.end; i++) expect(lines.view.getUint8(i)).toBe(lines.buf[i]);
      }
    }
  });

  it('backs forEachLine, which counts the lines', async () => {
    const text = 'a\r\nb\n\nlast';
    const got: Line[] = [];
    const n = await forEachLine(chunksOf(enc.encode(text), 3), (buf, s, e, line, byteOffset) => got.push({ text: dec.decode(buf.subarray(s, e)), line, byteOffset }));
    expect(got).toEqual(expected(text));
    expect(n).toBe(4);
  });
});

describe('decodeUtf8', () => {
  it('decodes short and long, ASCII and not, valid and not, as TextDecoder does', () => {
    for (const bytes of [[], [97], Array(12).fill(98), Array(13).fill(99), Array(200).fill(100), [0xc3, 0xa9], [97, 0xff, 98], [...Array(12).fill(97), 0xe2, 0x82, 0xac]]) {
      const b = new Uint8Array([1, ...bytes, 2]);
      expect(decodeUtf8(b, 1, b.length - 1)).toBe(dec.decode(new Uint8Array(bytes)));
    }
  });
});

describe('readAll', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
  it.each([
    ['no size beforehand', undefined],
    ['the exact size', bytes.length],
    ['a size too small (it grows)', 1000],
    ['a size too large (a view of what came)', bytes.length + 5000],
  ])('with %s: every byte, in order', async (_, expected) => {
    const seen: number[] = [];
    const out = await readAll(chunksOf(bytes, 4096), (n) => seen.push(n), expected);
    expect(out).toEqual(bytes);
    expect(seen.at(-1)).toBe(bytes.length);
  });
});
