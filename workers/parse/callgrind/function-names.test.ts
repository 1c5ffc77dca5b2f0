import { describe, expect, it } from 'vitest';
import { parseCallgrind } from './index';
import { chunksOf } from '../lines';

const header = 'events: Ir\n';
const bytesOf = (...parts: (string | number[])[]) => {
  const enc = new TextEncoder();
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? enc.encode(p) : p));
  return new Uint8Array(out);
};
const functions = async (bytes: Uint8Array) => {
  const p = await parseCallgrind(chunksOf(bytes, 7), 'test.callgrind');
  return [...p.funcName].map((s, f) => `${p.strings[s]} @ ${p.funcFile[f] < 0 ? '-' : p.strings[p.funcFile[f]]} = ${p.funcSelfExact![f]}`);
};

describe('callgrind function names', () => {
  it('merges a name defined under two ids, in the order its first use comes', async () => {
    const text = `${header}fl=(1) a.c\nfn=(1) main\n1 5\nfn=(2) other\n1 1\nfn=(3) main\n1 2\n`;
    expect(await functions(bytesOf(text))).toEqual(['main @ a.c = 7', 'other @ a.c = 1']);
  });

  it('keeps a name without a file apart from the same name with one', async () => {
    const text = `${header}fn=main\n1 5\nfl=a.c\nfn=main\n1 2\n`;
    expect(await functions(bytesOf(text))).toEqual(['main @ - = 5', 'main @ a.c = 2']);
  });

  it('merges names whose bytes differ but whose text is the same (invalid UTF-8, a byte order mark)', async () => {
    const bytes = bytesOf(header, 'fn=', [0xff], '\n1 5\nfn=', [0xfe], '\n1 2\nfn=', [0xef, 0xbb, 0xbf], 'x\n1 1\nfn=x\n1 3\n');
    expect(await functions(bytes)).toEqual(['\uFFFD @ - = 7', 'x @ - = 4']);
  });

  it('reads a file named by a byte order mark alone as no file', async () => {
    const bytes = bytesOf(header, 'fl=', [0xef, 0xbb, 0xbf], '\nfn=main\n1 5\n');
    expect(await functions(bytes)).toEqual(['main @ - = 5']);
  });

  it('merges functions as funcIndex does when a name holds a NUL (its "name\\0file" keys)', async () => {
    const text = `${header}fl=b\nfn=a\u0000\n1 5\nfl=\u0000b\nfn=a\n1 2\n`;
    expect(await functions(bytesOf(text))).toEqual(['a\u0000 @ b = 7']);
  });
});
