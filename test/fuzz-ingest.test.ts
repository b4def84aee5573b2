/**
 * Property-based fuzz of every ingest path against the real built server (`dist/cli.js
 * --server-only`, journal on, state in a temp dir) and the TUI's real replay parser. The
 * generators and invariants are in helpers/fuzz-arbitraries.ts, helpers/fuzz-server.ts and
 * helpers/fuzz-paths.ts; this file runs a CI-sized number of cases of each path at the same time
 * (the spool path mostly waits for the server's drain timer). `npm run fuzz` runs the long one.
 *
 * A failure prints the seed and counterexample path; replay it with
 *   FUZZ_ONLY=<path> FUZZ_SEED=<seed> FUZZ_PATH='<path>' node --import tsx --test test/fuzz-ingest.test.ts
 * (FUZZ_RUNS=N changes the number of runs of each path.)
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {PATHS, runPath, type PathName} from './helpers/fuzz-paths.js';

/** Runs per path: each run is a batch of cases (1–6 requests, 1–8 socket messages, 1–40 spool lines, 1–30 replay lines, 1–6 OTLP requests). */
const RUNS: Record<PathName, number> = {http: 250, socket: 150, spool: 14, replay: 150, otlp: 120};

const only = process.env.FUZZ_ONLY?.split(',').filter(Boolean);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const runs = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);

describe('fuzz: every ingest path against the real server', {concurrency: true}, () => {
	for (const name of PATHS) {
		test(
			`${name}: the server stays up, every accepted event is stored once, stdout stays clean, a canary arrives`,
			{skip: only && !only.includes(name) ? 'not in FUZZ_ONLY' : false, timeout: 180_000},
			async () => {
				const report = await runPath(name, {
					numRuns: runs ?? RUNS[name],
					seed,
					path: process.env.FUZZ_PATH,
					// Bounds a failing run's shrinking on a busy machine; the failure is reported either way.
					timeLimitMs: 50_000,
					restartEvery: name === 'replay' ? 0 : 40,
				});
				const f = report.figures;
				console.log(
					`fuzz ${name}: seed ${report.seed}, ${report.numRuns} runs${report.interrupted && !report.failed ? ' (cut short by the time limit)' : ''}, ${f.cases} cases, ${f.items} events, ${f.accepted} accepted, ${f.refused} refused, ${report.ms} ms`,
				);
				if (report.message) assert.fail(report.message);
				assert.ok(report.numRuns > 0, `fuzz ${name} was cut short before it ran anything`);
			},
		);
	}
});
