// Numbers as people read them in a hover card or table.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A cost in its unit: microseconds become ms or s; counts get thousands separators. */
export function formatCost(value: number, unit: string): string {
  if (unit === 'microseconds') {
    const abs = Math.abs(value);
    if (abs >= 1e6) return `${(value / 1e6).toFixed(2)} s`;
    if (abs >= 1e3) return `${(value / 1e3).toFixed(1)} ms`;
    return `${value.toFixed(0)} µs`;
  }
  return `${grouped.format(value)} ${unit}`;
}

/** A cost without its unit, for table cells under a header that names the unit. */
export function formatNumber(value: number, unit: string): string {
  if (unit === 'microseconds') return formatCost(value, unit);
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
