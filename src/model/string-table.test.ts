import { describe, expect, it } from 'vitest';
import { StringTable } from './string-table';

describe('StringTable', () => {
  it('interns each string once, strings added unhashed included', () => {
    const t = new StringTable();
    expect(t.add('a')).toBe(0);
    expect(t.add('b')).toBe(1);
    expect(t.intern('b')).toBe(1);
    expect(t.intern('c')).toBe(2);
    expect(t.add('d')).toBe(3);
    expect(t.intern('d')).toBe(3);
    expect(t.intern('a')).toBe(0);
    expect(t.values).toEqual(['a', 'b', 'c', 'd']);
  });
});
