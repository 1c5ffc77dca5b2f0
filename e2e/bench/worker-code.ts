// The worker's own parsing and diff code, bundled for Node by vite.bench.config.ts
// so that the benchmark times exactly what the browser's workers run.
export { parseStream } from '../../workers/parse/index';
export { parseFolded } from '../../workers/parse/folded';
export { parseCallgrind } from '../../workers/parse/callgrind';
export { parseCpuprofile, cpuprofileOfBytes } from '../../workers/parse/cpuprofile';
export { readCpuprofileBytes } from '../../workers/parse/cpuprofile-bytes';
export { parsePerfScript } from '../../workers/parse/perf-script';
export { parseSpeedscope, speedscopeOfBytes } from '../../workers/parse/speedscope';
export { parsePprof, pprofOfBytes } from '../../workers/parse/pprof';
export { chunksOf } from '../../workers/parse/lines';
export { diffProfiles } from '../../workers/diff';
