// For tests: small .cpuprofile texts written by hand, with the sample timings a case needs.

/**
 * A .cpuprofile written as runs of samples in time order: `[stack, count, ms]` is `count` samples of
 * the stack `a;b`, each followed by `ms` milliseconds until the next sample (the last, until endTime).
 */
export function cpuprofile(runs: [string, number, number][]): string {
  const frame = (functionName: string) => ({ functionName, url: functionName === '(root)' ? '' : 'app.js', scriptId: '1', lineNumber: 1, columnNumber: 1 });
  const nodes = [{ id: 1, callFrame: frame('(root)'), children: [] as number[] }];
  const ids = new Map<string, number>();
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let next = 0;
  let end = 0;
  for (const [stack, count, ms] of runs) {
    let id = 1;
    for (let i = 0, names = stack.split(';'); i < names.length; i++) {
      const path = names.slice(0, i + 1).join(';');
      if (!ids.has(path)) {
        ids.set(path, nodes.length + 1);
        nodes.push({ id: nodes.length + 1, callFrame: frame(names[i]), children: [] });
        nodes[id - 1].children.push(nodes.length);
      }
      id = ids.get(path)!;
    }
    for (let k = 0; k < count; k++) {
      samples.push(id);
      timeDeltas.push(next);
      next = ms * 1000;
      end += ms * 1000;
    }
  }
  return JSON.stringify({ nodes, startTime: 0, endTime: end, samples, timeDeltas });
}
