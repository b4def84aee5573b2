/**
 * The long fuzz run (`npm run fuzz`): the properties of test/fuzz-ingest.test.ts with many more
 * cases — by default 100,000 requests, socket messages, spool lines, replay lines and OTLP requests in all —
 * against the built server. Prints each path's seed, figures and verdict; exits 1 if any failed.
 *
 *   npm run fuzz -- [--cases N] [--seed=S] [--only http,socket,spool,replay,otlp] [--path P]
 *                   [--no-shrink] [--time-limit-s N (per path, default 1800)] [--skip raw-controls,server-error]
 *
 * `--seed=S` (with `--only` and `--path`) replays a reported failure. `--skip` is for triage only:
 * it turns off a named invariant so that a run can look past a known failure for the next one,
 * and such a run never reports a pass.
 */
import {parseArgs} from 'node:util';
import {MAX_BATCH, PATHS, runPath, type PathName, type RunReport} from '../test/helpers/fuzz-paths.js';
import {skippedChecks} from '../test/helpers/fuzz-server.js';

const {values} = parseArgs({
	options: {
		cases: {type: 'string', default: '100000'},
		seed: {type: 'string'},
		only: {type: 'string'},
		path: {type: 'string'},
		'no-shrink': {type: 'boolean', default: false},
		// Per path; bounds a failure's shrinking too. A path cut short says so in the table.
		'time-limit-s': {type: 'string', default: '1800'},
		skip: {type: 'string'},
	},
});

/** Share of the cases per path, and how much bigger a run's batch is than in npm test. */
const PLAN: Record<PathName, {share: number; batch: number}> = {
	http: {share: 0.5, batch: 2},
	socket: {share: 0.25, batch: 2},
	// The drain runs every 2 s: bigger batches, fewer runs.
	spool: {share: 0.05, batch: 4},
	replay: {share: 0.2, batch: 3},
	otlp: {share: 0.2, batch: 2},
};

const total = Number(values.cases);
if (!Number.isSafeInteger(total) || total < 1)
	throw new Error(`--cases must be a whole number ≥ 1, got ${values.cases}`);
const only = values.only ? (values.only.split(',') as PathName[]) : [...PATHS];
for (const name of only)
	if (!PATHS.includes(name)) throw new Error(`--only: no path "${name}" (paths: ${PATHS.join(', ')})`);
for (const check of values.skip?.split(',').filter(Boolean) ?? []) {
	if (check !== 'raw-controls' && check !== 'server-error')
		throw new Error(`--skip: no invariant "${check}" (raw-controls, server-error)`);
	skippedChecks.add(check);
}
const masterSeed =
	values.seed === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(values.seed);
const shareSum = only.reduce((sum, name) => sum + PLAN[name].share, 0);

console.log(
	`fuzz: ${total} cases over ${only.join(', ')}; seed ${masterSeed}${skippedChecks.size > 0 ? `; TRIAGE, skipping: ${[...skippedChecks].join(', ')}` : ''}`,
);

/** The cases this path is to send: its share of --cases. */
function casesFor(name: PathName): number {
	return Math.max(1, Math.ceil((total * PLAN[name].share) / shareSum));
}

/** A run cut short by the time limit before it failed has not run all its cases: not a pass. */
const verdictOf = (r: RunReport) => (r.failed ? 'FAILED' : r.interrupted ? 'cut short' : 'passed');

/**
 * Runs a path in rounds until it has sent its share of the cases: how many cases a run sends
 * depends on the sizes fast-check draws, so the first round's average sets the next round's
 * length. Each round has its own seed (the master seed plus the round number), printed with a
 * failure so that the round replays alone.
 */
async function run(name: PathName): Promise<RunReport> {
	const target = casesFor(name);
	console.log(`  ${name}: ${target} cases…`);
	const deadline = Date.now() + Number(values['time-limit-s']) * 1000;
	let sum: RunReport | undefined;
	for (let round = 0; ; round++) {
		const sent = sum?.figures.cases ?? 0;
		const perRun = sum
			? sum.figures.cases / Math.max(1, sum.figures.runs)
			: (MAX_BATCH[name] * PLAN[name].batch) / 2;
		const numRuns = Math.max(1, Math.ceil((target - sent) / Math.max(1, perRun)));
		const seed = values.seed === undefined ? (masterSeed + round) | 0 : masterSeed;
		const report = await runPath(name, {
			numRuns,
			seed,
			path: values.path,
			noShrink: values['no-shrink'],
			timeLimitMs: Math.max(1000, deadline - Date.now()),
			batch: PLAN[name].batch,
			// `--seed=…`: a seed may be negative, which would read as an option after a space.
			reproduce: (failedSeed, path) =>
				`npm run fuzz -- --only ${name} --cases ${target} --seed=${failedSeed} --path '${path}'${skippedChecks.size > 0 ? ` --skip ${[...skippedChecks].join(',')}` : ''}`,
			restartEvery: name === 'replay' ? 0 : 100,
			freshEvery: 400,
		});
		sum = sum === undefined ? report : merge(sum, report);
		// A replayed seed is one round; a failure or the time limit ends the path.
		if (values.seed !== undefined || report.failed || report.interrupted || sum.figures.cases >= target)
			break;
	}
	console.log(`  ${name}: ${verdictOf(sum)} (${sum.figures.cases} cases in ${(sum.ms / 1000).toFixed(1)} s)`);
	if (sum.message) console.log(sum.message.replace(/^/gm, '    '));
	return sum;
}

/** Two rounds of a path as one report (the later round's seed, verdict and message). */
function merge(a: RunReport, b: RunReport): RunReport {
	const f = a.figures;
	const g = b.figures;
	return {
		...b,
		numRuns: a.numRuns + b.numRuns,
		numShrinks: a.numShrinks + b.numShrinks,
		ms: a.ms + b.ms,
		figures: {
			runs: f.runs + g.runs,
			cases: f.cases + g.cases,
			items: f.items + g.items,
			accepted: f.accepted + g.accepted,
			refused: f.refused + g.refused,
			servers: f.servers + g.servers,
			restarts: f.restarts + g.restarts,
		},
	};
}

const started = Date.now();
// The spool path mostly waits for the server's 2 s drain timer: it runs beside the others.
const spool = only.includes('spool') ? run('spool') : undefined;
const reports: RunReport[] = [];
for (const name of only) if (name !== 'spool') reports.push(await run(name));
if (spool) reports.push(await spool);

const rows = reports.map((r) => {
	const f = r.figures;
	return [
		r.name,
		String(r.seed),
		String(f.runs),
		String(f.cases),
		String(f.items),
		String(f.accepted),
		String(f.refused),
		String(f.servers),
		String(f.restarts),
		(r.ms / 1000).toFixed(1),
		(f.cases / (r.ms / 1000)).toFixed(0),
		verdictOf(r),
	];
});
const head = [
	'path',
	'last seed',
	'runs',
	'cases',
	'events',
	'accepted',
	'refused',
	'servers',
	'restarts',
	's',
	'cases/s',
	'result',
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells: string[]) =>
	cells
		.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
		.join('  ');
console.log(`\n${line(head)}`);
for (const row of rows) console.log(line(row));
const cases = reports.reduce((sum, r) => sum + r.figures.cases, 0);
const failed = reports.filter((r) => r.failed).map((r) => r.name);
const cutShort = reports.filter((r) => !r.failed && r.interrupted).map((r) => r.name);
console.log(`\n${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (runs include shrinking).`);
if (failed.length > 0)
	console.log(`verdict: FAILED (${failed.join(', ')}); reproduce with the seed and path printed above.`);
else if (cutShort.length > 0)
	console.log(
		`verdict: no failure, but ${cutShort.join(', ')} hit the time limit before all runs (raise --time-limit-s): not a pass.`,
	);
else if (skippedChecks.size > 0)
	console.log(
		`verdict: no other failure found, but this was a triage run (skipped: ${[...skippedChecks].join(', ')}): not a pass.`,
	);
else console.log('verdict: passed.');
process.exit(failed.length > 0 || cutShort.length > 0 || skippedChecks.size > 0 ? 1 : 0);
