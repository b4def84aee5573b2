/**
 * Latency: from just before the POST to the moment a Socket.IO client has the event, at a steady
 * 100 and 1,000 events/s (single-event POSTs, keep-alive) with 4 clients, for the mpm-tui server
 * and the bare baseline (bench/lib/bare-server.mjs) in the same run, rounds alternating. p50 and
 * p99 over every (event, client) pair after a 1 s warm-up. Goal at both rates: p50 ≤ 3 ms and
 * p99 ≤ 25 ms.
 */
import {
	fmt,
	hookPayload,
	openReceivers,
	percentile,
	post,
	startBare,
	startMpmTui,
	type ServerProcess,
} from './lib/harness.js';
import {goal} from './lib/goal.js';

const RATES = [100, 1000];
const SECONDS = 6;
const WARMUP_MS = 1000;
const ROUNDS = 2;
const GOAL_P50_MS = 3;
const GOAL_P99_MS = 25;

async function measure(
	server: ServerProcess,
	identify: boolean,
	rate: number,
): Promise<{samples: number[]; lost: number; sent: number}> {
	const receivers = await openReceivers(server.url, 4, identify);
	const samples: number[] = [];
	const start = performance.now();
	for (const r of receivers) {
		r.onEvent = (event, now) => {
			const sent = (event.payload ?? event).bench_sent as number;
			if (sent - start >= WARMUP_MS) samples.push(now - sent);
		};
	}
	let sent = 0;
	const inflight: Promise<number>[] = [];
	await new Promise<void>((resolve) => {
		const tick = () => {
			const elapsed = performance.now() - start;
			if (elapsed >= SECONDS * 1000) return resolve();
			const due = Math.floor((elapsed * rate) / 1000) - sent;
			for (let i = 0; i < due; i++) {
				sent++;
				inflight.push(post(server.port, JSON.stringify(hookPayload({bench_sent: performance.now()}))));
			}
			setTimeout(tick, 2);
		};
		tick();
	});
	await Promise.all(inflight);
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline && !receivers.every((r) => r.count >= sent))
		await new Promise((r) => setTimeout(r, 20));
	const lost = receivers.reduce((sum, r) => sum + Math.max(0, sent - r.count), 0);
	for (const r of receivers) r.socket.close();
	return {samples, lost, sent};
}

async function main(): Promise<void> {
	const bare = await startBare();
	const mpm = await startMpmTui();
	try {
		let lost = 0;
		const goals: Array<[string, number, number]> = [];
		console.log(
			`POST → Socket.IO client, 4 clients, ${ROUNDS} × ${SECONDS} s per rate and server (after ${WARMUP_MS} ms warm-up each):`,
		);
		for (const rate of RATES) {
			const all = {bare: [] as number[], mpm: [] as number[]};
			for (let round = 0; round < ROUNDS; round++) {
				const b = await measure(bare, false, rate);
				const m = await measure(mpm, true, rate);
				all.bare.push(...b.samples);
				all.mpm.push(...m.samples);
				lost += m.lost;
			}
			const p = (xs: number[], q: number) => percentile(xs, q);
			goals.push(
				[`latency.${rate}.p50`, p(all.mpm, 50), GOAL_P50_MS],
				[`latency.${rate}.p99`, p(all.mpm, 99), GOAL_P99_MS],
			);
			console.log(`  ${fmt(rate)} events/s:`);
			console.log(
				`    bare http + Socket.IO:  p50 ${fmt(p(all.bare, 50), 1)} ms   p99 ${fmt(p(all.bare, 99), 1)} ms   (${fmt(all.bare.length)} samples)`,
			);
			console.log(
				`    mpm-tui --server-only:  p50 ${fmt(p(all.mpm, 50), 1)} ms   p99 ${fmt(p(all.mpm, 99), 1)} ms   (${fmt(all.mpm.length)} samples)`,
			);
			console.log(
				`    mpm-tui p90 ${fmt(p(all.mpm, 90), 1)} p95 ${fmt(p(all.mpm, 95), 1)} p99.9 ${fmt(p(all.mpm, 99.9), 1)} max ${fmt(Math.max(...all.mpm), 1)}`,
			);
			console.log(
				`    ratio mpm-tui / bare: p50 ${fmt(p(all.mpm, 50) / p(all.bare, 50), 2)}×   p99 ${fmt(p(all.mpm, 99) / p(all.bare, 99), 2)}×`,
			);
		}
		console.log(`  events lost: ${lost}`);
		console.log('');
		for (const [name, value, target] of goals) goal(name, value, '<=', target, {unit: 'ms'});
		goal('latency.lost', lost, '<=', 0, {digits: 0});
	} finally {
		await Promise.all([bare.stop(), mpm.stop()]);
	}
}

await main();
process.exit();
