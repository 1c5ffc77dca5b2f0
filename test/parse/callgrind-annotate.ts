// Test oracle: valgrind's own callgrind_annotate, run on a file, its function table
// read back. Used by callgrind.test.ts to check our per-function costs against the
// tool that ships with callgrind. Node only (child_process).
//
// Two callgrind_annotate 3.19 habits a comparison has to work around:
// - it reads one header and keeps summing costs over later parts, but reports only
//   the last part's totals: splitParts() cuts a multi-part file into one file per part
//   (keeping the other parts' name definitions, which later parts may use by id);
// - it ignores `calls=0` (its `$curr_call_counter > 0` test) and so counts that call's
//   inclusive cost as the caller's self: we hand it `calls=1` instead (the count is
//   irrelevant to every figure compared).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface AnnotateRow {
  /** The source file callgrind_annotate keys the row by (an inlined fi= file gets its own row). */
  file: string;
  fn: string;
  cost: number;
}

const CANDIDATES = ['/usr/bin/callgrind_annotate', '/usr/local/bin/callgrind_annotate'];

/** Path of callgrind_annotate, or null when it is not installed. */
export function callgrindAnnotatePath(): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const p of [...dirs.map((d) => path.join(d, 'callgrind_annotate')), ...CANDIDATES]) if (existsSync(p)) return p;
  return null;
}

/** callgrind_annotate's function table for one event, every row (--threshold=100). */
export function callgrindAnnotate(text: string, event: string, inclusive: boolean): AnnotateRow[] {
  const tool = callgrindAnnotatePath();
  if (!tool) throw new Error('callgrind_annotate is not installed');
  // A fresh directory as cwd: callgrind_annotate strips the cwd from file names.
  const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-cga-'));
  try {
    const file = path.join(dir, 'profile.callgrind');
    writeFileSync(file, text.replace(/^calls=0(?=[ \t])/gm, 'calls=1'));
    const out = execFileSync(
      'perl',
      [tool, '--threshold=100', '--auto=no', `--inclusive=${inclusive ? 'yes' : 'no'}`, `--show=${event}`, `--sort=${event}`, file],
      { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return parseTable(out, namesIn(text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Self (or inclusive) cost summed per function name over callgrind_annotate's rows. */
export function byFunctionName(rows: AnnotateRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.fn, (out.get(r.fn) ?? 0) + r.cost);
  return out;
}

/**
 * One text per part of a multi-part file: the first part's header, then the whole
 * body of part k, with only the name-definition lines of the other parts.
 */
export function splitParts(text: string): string[] {
  const lines = text.split('\n');
  const partOf = new Int32Array(lines.length);
  let part = 0;
  let sawBody = false;
  lines.forEach((l, i) => {
    if (/^(part|thread):/.test(l) && sawBody) {
      part++;
      sawBody = false;
    }
    if (/^([0-9+*-]|[a-z]+=)/.test(l)) sawBody = true;
    partOf[i] = part;
  });
  const firstEvents = lines.findIndex((l) => l.startsWith('events:'));
  const out: string[] = [];
  for (let k = 0; k <= part; k++) {
    const kept = lines.filter(
      (l, i) => partOf[i] === k || i <= firstEvents || /^(fl|fi|fe|fn|ob|cob|cfi|cfl|cfn|jfi|jfn)=\(\d+\)\s*\S/.test(l),
    );
    out.push(kept.join('\n'));
  }
  return out;
}

/** Every file and object name the text defines, to take callgrind_annotate's row labels apart. */
function namesIn(text: string): { files: string[]; objects: Set<string> } {
  const files = new Set<string>(['']);
  const objects = new Set<string>(['']);
  for (const m of text.matchAll(/^(fl|fi|fe|cfi|cfl|jfi|ob|cob)=(?:\(\d+\))?[ \t]*(.*)$/gm)) {
    const name = m[2].replace(/\r$/, '');
    if (name === '') continue;
    if (m[1] === 'ob' || m[1] === 'cob') objects.add(name);
    else files.add(name);
  }
  // Longest first, so "a/b.c" wins over "a".
  return { files: [...files].sort((a, b) => b.length - a.length), objects };
}

function parseTable(out: string, names: { files: string[]; objects: Set<string> }): AnnotateRow[] {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => / file:function$/.test(l));
  if (head < 0) return [];
  const rows: AnnotateRow[] = [];
  for (const line of lines.slice(head + 2)) {
    const m = /^\s*(-?[\d,]+|\.)\s+(?:\(\s*-?[\d.]+%\)\s+)?(.*)$/.exec(line);
    if (!m) {
      if (line.trim() === '' || line.startsWith('--')) break;
      continue;
    }
    const cost = m[1] === '.' ? 0 : Number(m[1].replace(/,/g, ''));
    let label = m[2];
    const obj = / \[([^\]]*)\]$/.exec(label);
    if (obj && names.objects.has(obj[1])) label = label.slice(0, obj.index);
    const file = names.files.find((f) => label.startsWith(`${f}:`)) ?? '';
    rows.push({ file, fn: label.slice(file.length + 1), cost });
  }
  return rows;
}

/**
 * Names of the functions that call themselves (`cfn=` equal to `fn=`): callgrind_annotate
 * adds such calls into the function's inclusive cost a second time; we do not.
 */
export function selfCallingFunctions(text: string): Set<string> {
  const ids = new Map<string, string>();
  const out = new Set<string>();
  let fn = '';
  let cfn = '';
  for (const line of text.split('\n')) {
    const m = /^(fn|cfn|jfn|frfn)=(?:\((\d+)\))?[ \t]*(.*?)\r?$/.exec(line);
    if (m) {
      let name = m[3];
      if (m[2] !== undefined) {
        if (name !== '') ids.set(m[2], name);
        else name = ids.get(m[2]) ?? '';
      }
      if (m[1] === 'fn') fn = name;
      else if (m[1] === 'cfn') cfn = name;
    } else if (line.startsWith('calls=') && cfn === fn) out.add(fn);
  }
  return out;
}
