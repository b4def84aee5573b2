/**
 * Latency: from just before the POST to the moment a Socket.IO client has the event, at a steady
 * 1,000 events/s (single-event POSTs, keep-alive) with 4 clients, for the mpm-tui server and the
 * bare baseline (bench/lib/bare-server.mjs) in the same run. p50 and p99 over every (event, client)
 * pair after a 1 s warm-up. Goal: p99 ≤ 40 ms.
 */
import {fmt, hookPayload, openReceivers, percentile, post, startBare, startMpmTui, type ServerProcess} from './lib/harness.js';

const RATE = 1000;
const SECONDS = 6;
const WARMUP_MS = 1000;
const ROUNDS = 2;

async function measure(server: ServerProcess, identify: boolean): Promise<{samples: number[]; lost: number; sent: number}> {
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
	await new Promise<void>(resolve => {
		const tick = () => {
			const elapsed = performance.now() - start;
			if (elapsed >= SECONDS * 1000) return resolve();
			const due = Math.floor((elapsed * RATE) / 1000) - sent;
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
	while (Date.now() < deadline && !receivers.every(r => r.count >= sent)) await new Promise(r => setTimeout(r, 20));
	const lost = receivers.reduce((sum, r) => sum + Math.max(0, sent - r.count), 0);
	for (const r of receivers) r.socket.close();
	return {samples, lost, sent};
}

async function main(): Promise<void> {
	const bare = await startBare();
	const mpm = await startMpmTui();
	try {
		const all = {bare: [] as number[], mpm: [] as number[]};
		let lost = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const b = await measure(bare, false);
			const m = await measure(mpm, true);
			all.bare.push(...b.samples);
			all.mpm.push(...m.samples);
			lost += m.lost;
		}
		console.log(`POST → Socket.IO client, ${fmt(RATE)} events/s, 4 clients, ${ROUNDS} × ${SECONDS} s (after ${WARMUP_MS} ms warm-up each):`);
		console.log(`  bare http + Socket.IO:  p50 ${fmt(percentile(all.bare, 50), 1)} ms   p99 ${fmt(percentile(all.bare, 99), 1)} ms   (${fmt(all.bare.length)} samples)`);
		console.log(`  mpm-tui --server-only:  p50 ${fmt(percentile(all.mpm, 50), 1)} ms   p99 ${fmt(percentile(all.mpm, 99), 1)} ms   (${fmt(all.mpm.length)} samples; goal p99 ≤ 40 ms)`);
		console.log(`  ratio p99 mpm-tui / bare: ${fmt(percentile(all.mpm, 99) / percentile(all.bare, 99), 2)}×   events lost: ${lost}`);
		if (lost > 0) process.exitCode = 1;
	} finally {
		await Promise.all([bare.stop(), mpm.stop()]);
	}
}

await main();
process.exit();
