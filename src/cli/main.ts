// The `flamediff` command: `flamediff report …` from an installed package, `npm run report -- …` in the repo.
import { report } from './report';

async function stdin(): Promise<Blob> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array<ArrayBuffer>);
  return new Blob(chunks);
}

const args = process.argv.slice(2);
if (args[0] === 'report') args.shift();
const status = await report(args, {
  stdin,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  progress: !!process.stderr.isTTY,
});
process.exitCode = status;
