import { describe, expect, it } from 'vitest';
import { formatCost, formatNumber, formatSigned } from './format-number';

describe('formatCost', () => {
  it('writes every time unit as s, ms, µs or ns, whatever the profile counted in', () => {
    expect(formatCost(2_680_000_000, 'nanoseconds')).toBe('2.68 s');
    expect(formatCost(2_680_000, 'nanoseconds')).toBe('2.7 ms');
    expect(formatCost(2_680, 'nanoseconds')).toBe('3 µs');
    expect(formatCost(268, 'nanoseconds')).toBe('268 ns');
    expect(formatCost(1_500_000, 'microseconds')).toBe('1.50 s');
    expect(formatCost(812, 'microseconds')).toBe('812 µs');
    expect(formatCost(0.25, 'seconds')).toBe('250.0 ms');
    expect(formatCost(12, 'milliseconds')).toBe('12.0 ms');
    expect(formatNumber(2_680_000_000, 'nanoseconds')).toBe('2.68 s');
  });
  it('counts keep their unit and separators', () => {
    expect(formatCost(1234567, 'bytes')).toBe('1,234,567 bytes');
    expect(formatNumber(1234567, 'Ir')).toBe('1,234,567');
  });
});

describe('scaled counts', () => {
  it('a count of hundreds or more shows no fraction (proportional mode scales counts); a small one keeps two digits', () => {
    expect(formatSigned(1481153544.41, 'Ir')).toBe('+1,481,153,544 Ir');
    expect(formatCost(99.456, 'samples')).toBe('99.46 samples');
    expect(formatCost(12345.5, 'bytes')).toBe('12,346 bytes');
  });
});
