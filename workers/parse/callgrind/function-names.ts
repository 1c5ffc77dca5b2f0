// The reader's functions as the builder's: one per distinct (name, file) text. The reader keys
// a function by the string ids of its name and file, and a name may be defined under several
// ids (`fn=(1) main` in one part, `fn=(7) main` in the next); its names stay bytes (ids of a
// ByteInterner) until here, where only the names of functions used are made strings.

import type { TreeBuilder } from '../../../src/model/tree-builder';
import { IntPairMap } from '../../../src/model/int-pair-map';
import type { ByteInterner } from '../byte-interner';

const NONE = -1;

/**
 * Reader function f, named by string ids funcName[f] and funcFile[f] (NONE: no file), whose
 * bytes are names[sid] in `interner`, as a builder function (NONE where used[f] is 0): numbered,
 * and its strings interned, in the order b.funcIndex(name, file) would give them.
 */
export function builderFunctions(
  b: TreeBuilder,
  interner: ByteInterner,
  names: Int32Array,
  funcName: readonly number[],
  funcFile: readonly number[],
  used: Uint8Array,
): Int32Array {
  const text = plainText(interner);
  return text === null ? byText(b, interner, names, funcName, funcFile, used) : byBytes(b, interner, text, names, funcName, funcFile, used);
}

/**
 * All the names' text, at the same offsets as their bytes, when each byte is a character: every
 * byte ASCII, and none 0 (funcIndex's "name\0file" key could make two functions one otherwise).
 * Distinct bytes are then distinct text, so functions can be keyed by byte ids.
 */
function plainText(interner: ByteInterner): string | null {
  // With the BOM kept, a byte of 0x80 or more always decodes to a character of 0x80 or more.
  const text = keepBom.decode(interner.bytes);
  return NOT_PLAIN.test(text) ? null : text;
}
const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[^\x01-\x7f]/;

function byBytes(
  b: TreeBuilder,
  interner: ByteInterner,
  text: string,
  names: Int32Array,
  funcName: readonly number[],
  funcFile: readonly number[],
  used: Uint8Array,
): Int32Array {
  const n = funcName.length;
  const final = new Int32Array(n).fill(NONE);
  const stringOf = new Int32Array(interner.size).fill(NONE);
  // Distinct bytes being distinct text here, a name new to stringOf is new to an empty table.
  const fresh = b.strings.values.length === 0;
  const intern = (id: number): number => {
    let s = stringOf[id];
    if (s < 0) {
      const at = interner.offsetOf(id);
      const name = text.slice(at, at + interner.lengthOf(id));
      s = stringOf[id] = fresh ? b.strings.add(name) : b.strings.intern(name);
    }
    return s;
  };
  const byPair = new IntPairMap(n);
  for (let f = 0; f < n; f++) {
    if (!used[f]) continue;
    const name = names[funcName[f]];
    const file = funcFile[f] === NONE ? NONE : names[funcFile[f]];
    let g = byPair.get(name, file + 1);
    if (g < 0) {
      const nameString = intern(name);
      g = b.addFunction(nameString, file === NONE ? NONE : intern(file));
      byPair.add(name, file + 1, g);
    }
    final[f] = g;
  }
  return final;
}

/** The general case: each name decoded, and looked up by its text. */
function byText(
  b: TreeBuilder,
  interner: ByteInterner,
  names: Int32Array,
  funcName: readonly number[],
  funcFile: readonly number[],
  used: Uint8Array,
): Int32Array {
  const bytes = interner.bytes;
  const textOf = (sid: number): string => {
    const id = names[sid];
    const at = interner.offsetOf(id);
    return decodeName(bytes, at, at + interner.lengthOf(id));
  };
  const final = new Int32Array(funcName.length).fill(NONE);
  for (let f = 0; f < funcName.length; f++) {
    if (used[f]) final[f] = b.funcIndex(textOf(funcName[f]), funcFile[f] === NONE ? null : textOf(funcFile[f]));
  }
  return final;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A name as a flat string: names become Map keys (function table, string table), and
 * hashing a rope built char by char costs far more than building it flat.
 */
export function decodeName(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 4096) return utf8.decode(buf.subarray(start, end));
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return utf8.decode(buf.subarray(start, end));
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}
