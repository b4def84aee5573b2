/**
 * Ingest throughput. (1) Single events through POST /api/events, 8 concurrent keep-alive senders,
 * 4 Socket.IO clients receiving everything, against the bare http + Socket.IO server
 * (bench/lib/bare-server.mjs) with the same load generator in the same run, after an unmeasured
 * warm-up round of each; rounds alternate and the goal is the median of each round's ratio
 * (mpm-tui against bare's run just before it). Every client's count is checked: zero events lost.
 * (2) Batched NDJSON (1,000 events per POST, median of 3 rounds after a warm-up of 20 POSTs) with
 * one client attached. Goals: ≥ 70 % of bare; NDJSON ≥ 50,000/s.
 */
import {
	fmt,
	hookPayload,
	median,
	post,
	startBare,
	startMpmTui,
	startReceivers,
	type ServerProcess,
} from './lib/harness.js';
import {goal} from './lib/goal.js';

const ROUNDS = 5;
const SECONDS = 3;
const WARMUP_SECONDS = 3;
const SENDERS = 8;
const CLIENTS = 4;

interface Result {
	rate: number;
	lost: number;
	/** Server CPU time per accepted event, µs (robust against other load on the machine). */
	cpuUs: number;
}

async function singleEvents(server: ServerProcess, identify: boolean, seconds = SECONDS): Promise<Result> {
	const receivers = await startReceivers(server.url, CLIENTS, identify);
	let sent = 0;
	let failed = 0;
	const end = performance.now() + seconds * 1000;
	const start = performance.now();
	const cpu0 = server.cpuSeconds();
	await Promise.all(
		Array.from({length: SENDERS}, async () => {
			while (performance.now() < end) {
				const status = await post(server.port, JSON.stringify(hookPayload()));
				if (status === 202) sent++;
				else failed++;
			}
		}),
	);
	const elapsed = (performance.now() - start) / 1000;
	await receivers.waitFor(sent);
	const cpuUs = ((server.cpuSeconds() - cpu0) * 1e6) / sent;
	const lost = (await receivers.counts()).reduce((sum, c) => sum + Math.max(0, sent - c), 0) + failed;
	await receivers.close();
	return {rate: sent / elapsed, lost, cpuUs};
}

const PER_BODY = 1000;
const NDJSON_ROUNDS = 3;

/** NDJSON bodies of PER_BODY fresh events each, encoded here, so the load generator does not spend the shared cores re-encoding 500 KB per POST. */
function ndjsonBodies(count: number): Buffer[] {
	return Array.from({length: count}, () =>
		Buffer.from(Array.from({length: PER_BODY}, () => JSON.stringify(hookPayload())).join('\n') + '\n'),
	);
}

async function ndjson(server: ServerProcess, identify: boolean, bodies: Buffer[]): Promise<Result> {
	const receivers = await startReceivers(server.url, 1, identify);
	let sent = 0;
	let next = 0;
	const start = performance.now();
	const cpu0 = server.cpuSeconds();
	await Promise.all(
		Array.from({length: 2}, async () => {
			while (next < bodies.length) {
				const body = bodies[next++];
				if ((await post(server.port, body, 'application/x-ndjson')) === 202) sent += PER_BODY;
			}
		}),
	);
	const elapsed = (performance.now() - start) / 1000;
	await receivers.waitFor(sent, 30_000);
	const cpuUs = ((server.cpuSeconds() - cpu0) * 1e6) / sent;
	const lost =
		bodies.length * PER_BODY -
		sent +
		(await receivers.counts()).reduce((sum, c) => sum + Math.max(0, sent - c), 0);
	await receivers.close();
	return {rate: sent / elapsed, lost, cpuUs};
}

async function main(): Promise<void> {
	const bare = await startBare();
	const mpm = await startMpmTui(process.env.MPM_BENCH_NO_JOURNAL ? ['--no-journal'] : []);
	try {
		// Warm-up: a round of each under the same concurrent load, not measured, so that V8 has
		// optimized both servers' hot paths (300 POSTs one at a time did not: mpm-tui's first rounds
		// ran at 54-67 % of bare's, its later ones at 72-77 %). Its events are checked like the rest.
		await singleEvents(bare, false, WARMUP_SECONDS);
		const warmUp = await singleEvents(mpm, true, WARMUP_SECONDS);
		console.log(`  warm-up: ${fmt(warmUp.rate)} ev/s (lost: ${warmUp.lost})`);
		const rates = {
			bare: [] as number[],
			mpm: [] as number[],
			ratio: [] as number[],
			bareCpu: [] as number[],
			mpmCpu: [] as number[],
		};
		let lost = warmUp.lost;
		for (let round = 1; round <= ROUNDS; round++) {
			const b = await singleEvents(bare, false);
			const m = await singleEvents(mpm, true);
			rates.bare.push(b.rate);
			rates.mpm.push(m.rate);
			rates.ratio.push(m.rate / b.rate);
			rates.bareCpu.push(b.cpuUs);
			rates.mpmCpu.push(m.cpuUs);
			lost += m.lost;
			console.log(
				`  round ${round}: bare ${fmt(b.rate)} ev/s, mpm-tui ${fmt(m.rate)} ev/s (lost: ${m.lost}, bare lost: ${b.lost})`,
			);
		}
		const bareMedian = median(rates.bare);
		const mpmMedian = median(rates.mpm);
		console.log(
			`single events, ${SENDERS} keep-alive senders, ${CLIENTS} Socket.IO clients, median of ${ROUNDS} × ${SECONDS} s:`,
		);
		console.log(`  bare http + Socket.IO:   ${fmt(bareMedian)} events/s`);
		console.log(`  mpm-tui --server-only:   ${fmt(mpmMedian)} events/s`);
		console.log(`  ratio of the medians:    ${fmt((mpmMedian / bareMedian) * 100)} %`);
		console.log(
			`  median of paired ratios: ${fmt(median(rates.ratio) * 100)} %   (goal ≥ 70 %: each round against bare's just before it)`,
		);
		console.log(`  events lost at clients:  ${lost}   (goal 0)`);
		console.log(
			`  server CPU per event:    bare ${fmt(median(rates.bareCpu))} µs, mpm-tui ${fmt(median(rates.mpmCpu))} µs (${fmt(median(rates.mpmCpu) / median(rates.bareCpu), 2)}×; what the server alone would sustain on one free core: bare ${fmt(1e6 / median(rates.bareCpu))}/s, mpm-tui ${fmt(1e6 / median(rates.mpmCpu))}/s)`,
		);

		// Batched: 20 bodies first, so that the per-batch code is optimized (it runs once per 1,000
		// events, so V8 sees it called few times), then rounds that alternate between the servers.
		// Every event is new (no duplicates).
		for (const [s, identify] of [
			[bare, false],
			[mpm, true],
		] as const)
			await ndjson(s, identify, ndjsonBodies(20));
		const nd = {bare: [] as Result[], mpm: [] as Result[]};
		for (let round = 1; round <= NDJSON_ROUNDS; round++) {
			nd.bare.push(await ndjson(bare, false, ndjsonBodies(80)));
			nd.mpm.push(await ndjson(mpm, true, ndjsonBodies(80)));
			console.log(
				`  NDJSON round ${round}: bare ${fmt(nd.bare.at(-1)!.rate)} ev/s, mpm-tui ${fmt(nd.mpm.at(-1)!.rate)} ev/s (lost: ${nd.mpm.at(-1)!.lost})`,
			);
		}
		const nb = {rate: median(nd.bare.map((r) => r.rate)), cpuUs: median(nd.bare.map((r) => r.cpuUs))};
		const nm = {
			rate: median(nd.mpm.map((r) => r.rate)),
			cpuUs: median(nd.mpm.map((r) => r.cpuUs)),
			lost: nd.mpm.reduce((sum, r) => sum + r.lost, 0),
			min: Math.min(...nd.mpm.map((r) => r.rate)),
		};
		console.log(
			`batched NDJSON, ${fmt(PER_BODY)} events per POST, 2 senders, 1 client, median of ${NDJSON_ROUNDS} rounds × 80 POSTs:`,
		);
		console.log(`  bare:     ${fmt(nb.rate)} events/s`);
		console.log(
			`  mpm-tui:  ${fmt(nm.rate)} events/s   (goal ≥ 50,000/s; slowest round ${fmt(nm.min)}; ${fmt((nm.rate / nb.rate) * 100)} % of bare; lost: ${nm.lost})`,
		);
		console.log(
			`  server CPU per event: bare ${fmt(nb.cpuUs, 1)} µs, mpm-tui ${fmt(nm.cpuUs, 1)} µs (one free core: bare ${fmt(1e6 / nb.cpuUs)}/s, mpm-tui ${fmt(1e6 / nm.cpuUs)}/s)`,
		);
		console.log('');
		// Paired, as the forwarder's and start-up's goals: a round's load is shared by its two halves,
		// and a slow round of one server alone cannot swing the ratio of two medians.
		goal('ingest.single.of-bare', median(rates.ratio) * 100, '>=', 70, {unit: '%'});
		goal('ingest.single.lost', lost, '<=', 0, {digits: 0});
		goal('ingest.ndjson.rate', nm.rate, '>=', 50_000, {unit: 'ev/s', digits: 0});
		goal('ingest.ndjson.lost', nm.lost, '<=', 0, {digits: 0});
	} finally {
		await Promise.all([bare.stop(), mpm.stop()]);
	}
}

await main();
process.exit();
