import { formatBytes } from './format-number';

export function progressLabel(phase: string, bytes: number, total?: number): string {
  return `${phase === 'download' ? 'Downloading' : 'Reading'} ${formatBytes(bytes)}${total ? ` of ${formatBytes(total)}` : ''}`;
}
