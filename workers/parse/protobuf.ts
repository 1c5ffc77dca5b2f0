// The protobuf wire format, as far as reading pprof needs it: varints, the four wire types that
// are not groups, length-delimited fields and packed repeated integers.
// https://protobuf.dev/programming-guides/encoding/
//
// Every read is bounded by the end of the message it is in (a sub-message by its length, the
// file by its size), and every step moves forward by at least one byte: a damaged length can
// neither read past the file nor loop. A failure names the byte where the field it broke in starts.
import { ParseError, type Format } from '../../src/model/profile';

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

const TWO_32 = 4294967296;

export class WireReader {
  /** The next byte to read. */
  pos = 0;
  /** Where the field being read starts (its tag): the byte an error names. */
  fieldStart = 0;

  constructor(
    readonly buf: Uint8Array,
    readonly format: Format,
  ) {}

  /**
   * A varint, as a double: exact up to 2^53; an int64 written negative (ten bytes, two's
   * complement) comes out negative.
   */
  varint(end: number): number {
    const p = this.pos;
    if (p < end) {
      const b = this.buf[p];
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    return this.longVarint(end);
  }

  private longVarint(end: number): number {
    const buf = this.buf;
    let p = this.pos;
    let lo = 0;
    // Bytes 1–4 hold bits 0–27.
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) this.cut(end, 'a varint');
      const b = buf[p++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
    }
    // Byte 5 holds bits 28–34: four in the low word, three in the high one.
    if (p >= end) this.cut(end, 'a varint');
    let b = buf[p++];
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >> 4;
    if (b < 0x80) {
      this.pos = p;
      return hi * TWO_32 + (lo >>> 0);
    }
    // Bytes 6–10 hold bits 35–63 (the tenth byte's bits past 63 have no place in 64 bits).
    for (let shift = 3; shift < 32; shift += 7) {
      if (p >= end) this.cut(end, 'a varint');
      b = buf[p++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        // `hi | 0` is signed: a set bit 63 makes the value negative, as int64 reads it.
        return (hi | 0) * TWO_32 + (lo >>> 0);
      }
    }
    return this.fail(`a varint longer than 10 bytes (at byte ${this.pos}): this is not protobuf data, or it is damaged`, this.pos);
  }

  /** The next field's tag (field number << 3 | wire type), remembering where the field starts. */
  tag(end: number): number {
    this.fieldStart = this.pos;
    const t = this.varint(end);
    if (t < 8) this.fail(`a field with number 0 (tag byte ${t}): this is not protobuf data, or it is damaged`, this.fieldStart);
    return t;
  }

  /** Reads a length prefix; returns where the field's bytes end (they start at `pos`). */
  lengthEnd(end: number): number {
    const n = this.varint(end);
    const e = this.pos + n;
    // A ten-byte varint with its top bit set: no cut makes that, whatever comes after it.
    if (n < 0) this.fail(`a field whose length is negative (${n}): the data is damaged`, this.fieldStart);
    if (e > end) this.cut(end, `a field of ${n} bytes`, e);
    return e;
  }

  /** Skips the value of a field of wire type `wire`. */
  skip(wire: number, end: number): void {
    switch (wire) {
      case VARINT:
        this.varint(end);
        return;
      case I64:
        this.advance(8, end);
        return;
      case LEN:
        this.pos = this.lengthEnd(end);
        return;
      case I32:
        this.advance(4, end);
        return;
      default:
        this.fail(`a field of wire type ${wire}, which is a deprecated group or no wire type at all: this is not pprof data, or it is damaged`, this.fieldStart);
    }
  }

  private advance(n: number, end: number): void {
    if (this.pos + n > end) this.cut(end, `a ${n * 8}-bit field`, this.pos + n);
    this.pos += n;
  }

  /** `what` starting at fieldStart needs bytes up to `needed`, past `end`. */
  private cut(end: number, what: string, needed?: number): never {
    const start = this.fieldStart;
    if (end === this.buf.length) {
      const short = needed !== undefined && needed > end ? `, ${(needed - end).toLocaleString('en-US')} bytes short` : '';
      this.fail(`the file ends inside ${what} of the field that starts at byte ${start}${short}: it looks cut short (${end.toLocaleString('en-US')} bytes)`, end);
    }
    this.fail(`${what} of the field that starts at byte ${start} runs past the end of the message it is in (byte ${end}): the data is damaged`, start);
  }

  fail(message: string, byte: number): never {
    throw new ParseError(this.format, message, { byte });
  }
}

/** The wire types a field may have, as a bit mask by wire type (1 << VARINT…). */
export type WireSchema = Record<number, number>;

/**
 * Whether buf[start, end) reads as a message whose every field has a number in `schema` and
 * one of its wire types there; `nested` checks the length-delimited fields that are messages
 * too. Never throws: for sniffing bytes that may be anything.
 */
export function looksLikeMessage(buf: Uint8Array, start: number, end: number, schema: WireSchema, nested: Record<number, (s: number, e: number) => boolean> = {}): boolean {
  let p = start;
  while (p < end) {
    const t = peekVarint(buf, p, end);
    if (t === null) return false;
    p = t.next;
    const field = Math.floor(t.value / 8);
    const wire = t.value % 8;
    if (((schema[field] ?? 0) & (1 << wire)) === 0) return false;
    if (wire === VARINT) {
      const v = peekVarint(buf, p, end);
      if (v === null) return false;
      p = v.next;
    } else if (wire === LEN) {
      const n = peekVarint(buf, p, end);
      if (n === null || n.next + n.value > end) return false;
      const check = nested[field];
      if (check && !check(n.next, n.next + n.value)) return false;
      p = n.next + n.value;
    } else if (wire === I64 || wire === I32) {
      p += wire === I64 ? 8 : 4;
      if (p > end) return false;
    } else return false;
  }
  return true;
}

/** A varint at buf[p] that ends before `end` (null otherwise), and the byte after it. */
export function peekVarint(buf: Uint8Array, p: number, end: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return null;
    const b = buf[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: p };
    scale *= 128;
  }
  return null;
}
