// Numbers as people read them in a hover card or table.
import { nanosecondsPer } from './units';

const fine = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** Counts in thousands separators; a fraction (proportional mode scales counts) only where it is a visible part of the figure. */
const grouped = { format: (v: number) => (Math.abs(v) >= 100 ? whole : fine).format(v) };

/** A cost in its unit: a time becomes ns, µs, ms or s as its size asks; counts get thousands separators. */
export function formatCost(value: number, unit: string): string {
  const ns = nanosecondsPer(unit);
  if (ns !== undefined) {
    const us = (value * ns) / 1e3;
    const abs = Math.abs(us);
    if (abs >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
    if (abs >= 1e3) return `${(us / 1e3).toFixed(1)} ms`;
    if (abs >= 1 || ns >= 1e3 || us === 0) return `${us.toFixed(0)} µs`;
    return `${(us * 1e3).toFixed(0)} ns`;
  }
  return `${grouped.format(value)} ${unit}`;
}

/** A cost without its unit, for table cells under a header that names the unit. */
export function formatNumber(value: number, unit: string): string {
  if (nanosecondsPer(unit) !== undefined) return formatCost(value, unit);
  return grouped.format(value);
}

export function formatSignedNumber(value: number, unit: string): string {
  return (value > 0 ? '+' : value < 0 ? '−' : '±') + formatNumber(Math.abs(value), unit);
}

export function formatSigned(value: number, unit: string): string {
  return (value > 0 ? '+' : value < 0 ? '−' : '±') + formatCost(Math.abs(value), unit);
}

/** A percentage with a sign; `n/a` when the reference is zero (a new frame has no % change). */
export function formatPercent(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const pct = ratio * 100;
  return (pct > 0 ? '+' : pct < 0 ? '−' : '±') + Math.abs(pct).toFixed(digits) + '%';
}

export function formatShare(ratio: number, digits = 1): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(digits)}%` : 'n/a';
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} kB`;
  return `${n} B`;
}
