// The `flamediff` command: `flamediff report …` from an installed package, `npm run report -- …` in the repo.
// Files are read in this thread, one after another: two reader threads were tried and read a pair no
// faster here (each parse took twice as long beside the other: 222 and 261 ms against 125 ms alone).
import { report } from './report';

async function stdin(): Promise<Blob> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array<ArrayBuffer>);
  return new Blob(chunks);
}

const args = process.argv.slice(2);
if (args[0] === 'report') args.shift();
process.exitCode = await report(args, {
  stdin,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  progress: !!process.stderr.isTTY,
});
