// `flamediff report BASE HEAD`: the app's engine in Node, for CI. The same readers, the same
// diff, the same verdict and export as the browser's; no browser, no server.
import { writeFile } from 'node:fs/promises';
import { mergeRuns } from '../../workers/merge-runs';
import { compareProfiles } from '../../workers/compare';
import type { Profile } from '../model/profile';
import { compareUnits } from '../model/units';
import { verdictOf } from '../model/verdict';
import { exportView } from '../model/export-json';
import { escapeMarkdown, reportMarkdown } from '../model/report-markdown';
import { runStats } from '../model/run-stats';
import { DEFAULT_VIEW, writeLink } from '../ui/url-state';
import { reportSvg } from './report-svg';
import { InputError, readBoth, readProfile, type ReadIo } from './read-profile';
import { printable, systemError } from './terminal-text';

export const USAGE = `usage: flamediff report BASE HEAD [options]
       flamediff report --base FILE [--base FILE…] --head FILE [--head FILE…] [options]
       flamediff report BOTH [options]

  BASE, HEAD        profiles (callgrind, perf folded or script, .cpuprofile, Chrome trace, pprof,
                    speedscope; gzip too); - reads one from standard input
  BOTH              one differential folded file (stack, base count, head count), as the app
                    takes it: both sides from one file
  --base FILE       a run of base (repeat for several runs); --head FILE likewise
  --json            the app's export (schema flamediff.diff/2) instead of Markdown
  --top N           rows of the Markdown table (default 10)
  --fail-above PCT  exit 1 when head's whole run is slower than base's by more than PCT percent
                    (with several runs per side: only when that change is significant)
  --link URL        add a share link to the app at URL, with --base-url U and --head-url U
                    (repeatable, one per run) where the profiles are published
  --svg FILE        write a differential flame graph of the diff view, as SVG
  -h, --help        this text

exit status: 0 ok, 1 --fail-above exceeded, 2 bad input or units that cannot be compared`;

export interface Options {
  base: string[];
  head: string[];
  json: boolean;
  top: number;
  failAbove: number | null;
  link: string | null;
  baseUrls: string[];
  headUrls: string[];
  svg: string | null;
  /** One file that holds both sides (a differential folded file: stack, base count, head count). */
  both: string | null;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { base: [], head: [], json: false, top: 10, failAbove: null, link: null, baseUrls: [], headUrls: [], svg: null, both: null };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      // `--svg --json` is a forgotten value, not a file named --json; an empty value is none either.
      if (v === undefined || v === '' || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--base') o.base.push(value());
    else if (a === '--head') o.head.push(value());
    else if (a === '--json') o.json = true;
    else if (a === '--top') o.top = Number(value());
    else if (a === '--fail-above') o.failAbove = Number(value().replace(/%$/, ''));
    else if (a === '--link') o.link = value();
    else if (a === '--base-url') o.baseUrls.push(value());
    else if (a === '--head-url') o.headUrls.push(value());
    else if (a === '--svg') o.svg = value();
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length) {
    if (o.base.length || o.head.length) throw new UsageError('give BASE and HEAD, or --base and --head, not both');
    if (positional.length > 2) throw new UsageError(`too many profiles: ${positional.slice(2).join(' ')} (give BASE and HEAD, or one differential file)`);
    if (positional.length === 1) o.both = positional[0];
    else {
      o.base.push(positional[0]);
      o.head.push(positional[1]);
    }
  }
  if (o.both === null && (!o.base.length || !o.head.length)) throw new UsageError('a base and a head profile are needed');
  if ([...o.base, ...o.head].filter((f) => f === '-').length > 1) throw new UsageError('only one profile can come from standard input');
  if (!(Number.isInteger(o.top) && o.top >= 0)) throw new UsageError('--top takes a whole number');
  // Negative would fail a faster head, which the gate never does.
  if (o.failAbove !== null && !(Number.isFinite(o.failAbove) && o.failAbove >= 0)) throw new UsageError('--fail-above takes a percentage of 0 or more, e.g. 5');
  if (o.link !== null && (!o.baseUrls.length || !o.headUrls.length)) throw new UsageError('--link needs --base-url and --head-url');
  return o;
}

export interface Io {
  stdin: () => Promise<Blob>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Progress lines for big files (stderr is a terminal). */
  progress: boolean;
}

async function readSides(o: Options, io: Io): Promise<[Profile, Profile]> {
  const rio: ReadIo = { stdin: io.stdin, progress: io.progress ? io.stderr : null };
  if (o.both !== null) return readBoth(o.both, rio);
  const files = [...o.base, ...o.head];
  const settled = await Promise.allSettled(files.map((f) => readProfile(f, rio)));
  const failed = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  // Every file that failed is named, as the app shows both sides' errors together.
  if (failed.length) throw new Error(failed.join('\nflamediff report: '));
  const profiles = settled.map((r) => (r as PromiseFulfilledResult<Profile>).value);
  const side = (from: number, names: string[]) => {
    const runs = profiles.slice(from, from + names.length);
    try {
      return mergeRuns(runs);
    } catch (e) {
      throw new InputError({ file: names.join(', '), format: runs[0].format, message: e instanceof Error ? e.message : String(e) });
    }
  };
  return [side(0, o.base), side(o.base.length, o.head)];
}

/** Runs the report; returns the exit status. */
export async function report(argv: string[], io: Io): Promise<number> {
  // Every message can quote a file (names, events, a line of it): none may drive the terminal.
  const say = (s: string) => io.stderr(printable(s));
  let o: Options | 'help';
  try {
    o = parseArgs(argv);
  } catch (e) {
    say(`flamediff report: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const [base, head] = await readSides(o, io);
    // A share of a base run of 0 is no figure: the verdict would read +100% and the gate never fire.
    if (!(base.tree.total[0] > 0)) throw new Error(`${base.name}: the base profile holds no cost (its total is 0 ${base.unit}), so there is nothing to compare head against`);
    const units = compareUnits(base, head);
    const d = compareProfiles(base, head);
    const mode = units.comparable ? 'absolute' : 'proportional';
    const verdict = verdictOf(d, mode, true, units.comparable);
    // A side that looks cut short (the reader's own sentence: callgrind's totals: missing, a last line cut)
    // is said first, in the comment and on stderr; the gate cannot judge a run it did not read whole.
    const cutSides = (['base', 'head'] as const).filter((side) => d[side].incomplete.length > 0);
    const cut = cutSides.flatMap((side) => d[side].incomplete.map((why) => `${side} (${d[side].name}): ${why}`));
    // The image first: a path it cannot be written to stops the command before it has said anything.
    if (o.svg) {
      try {
        await writeFile(o.svg, reportSvg(d, verdict, units.comparable));
      } catch (e) {
        throw new Error(`--svg ${o.svg}: cannot be written: ${systemError(e, 'no such directory')}`);
      }
    }
    // Lines a reader skipped (a line without its count) are cost the figures do not hold: said, as the app's summary says them.
    const skipped = skippedNotes(d);
    for (const line of [...cut, ...skipped]) say(`flamediff report: warning: ${line}\n`);
    if (o.json) io.stdout(`${JSON.stringify(exportView(d, [], 'pair', mode), null, 1)}\n`);
    else {
      for (const line of cut) io.stdout(`> **Warning:** ${escapeMarkdown(line)}. This report compares only what was read.\n\n`);
      for (const line of skipped) io.stdout(`> **Note:** ${escapeMarkdown(line)}.\n\n`);
      io.stdout(reportMarkdown({ diff: d, verdict, unitsComparable: units.comparable, top: o.top, link: o.link ? shareLink(o, verdict.kind === 'function' ? verdict.key : null) : null }));
    }
    if (o.failAbove !== null) {
      if (!units.comparable) {
        say(`flamediff report: --fail-above cannot be applied: ${units.reason}\n`);
        return 2;
      }
      if (cutSides.length) {
        say(`flamediff report: --fail-above cannot be applied: ${cutSides.length > 1 ? 'both sides look' : `${cutSides[0]} looks`} cut short\n`);
        return 2;
      }
      const change = (d.head.total - d.base.total) / d.base.total;
      const stats = d.runs ? runStats(d, 'absolute') : null;
      const real = stats ? stats.whole.significant : true;
      if (real && change * 100 > o.failAbove) {
        say(`flamediff report: head is ${(change * 100).toFixed(1)}% slower than base, above --fail-above ${o.failAbove}%\n`);
        return 1;
      }
    }
    return 0;
  } catch (e) {
    say(`flamediff report: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

/** Each side's skipped lines, with the first one the reader named, e.g. "base (b.folded): 1 line skipped (line 2: …)". */
function skippedNotes(d: ReturnType<typeof compareProfiles>): string[] {
  return (['base', 'head'] as const)
    .filter((side) => d[side].skippedLines > 0)
    .map((side) => {
      const s = d[side];
      const n = s.skippedLines;
      return `${side} (${s.name}): ${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'} skipped${s.warnings[0] ? ` (${s.warnings[0]}${n > 1 ? '; …' : ''})` : ''}`;
    });
}

/** The app's link to this view: the profile URLs resolved against the app's, the verdict's function selected. */
export function shareLink(o: Options, selected: string | null): string {
  const parse = (u: string, base: URL | undefined, what: string) => {
    try {
      return new URL(u, base);
    } catch {
      throw new Error(`${what} ${u} is not a URL${base ? ` (nor a path from ${base.href})` : ': give the whole address, https://…'}`);
    }
  };
  const app = parse(o.link!, undefined, '--link');
  const abs = (u: string) => parse(u, app, 'a profile URL').href;
  const q = writeLink({ base: o.baseUrls.map(abs), head: o.headUrls.map(abs), demo: false }, { ...DEFAULT_VIEW, selected });
  return new URL(q, app).href;
}
