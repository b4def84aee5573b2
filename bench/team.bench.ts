/**
 * Team mode (docs/team.md): ingest through two `--server-only --redis` instances sharing one real
 * redis-server against one instance alone, with the same load generator, in the same run (rounds
 * alternate). (1) Throughput: 8 keep-alive senders posting single events as fast as they are
 * answered (alone: all to the one instance; team: 4 to A, 4 to B) for 3 s; every event must reach
 * a Socket.IO client (alone: of the instance; team: of B, so A's events cross Redis). (2) Latency
 * at a steady 500 events/s: POST to A → a client of B (alone: POST → a client of the instance),
 * p50 and p99 after a 1 s warm-up. Printed as ratios against the one-instance baseline. Needs
 * redis-server (skipped, with the reason, when it is not installed) and the build.
 */
import fs from 'node:fs';
import {RedisServer, redisMissing} from '../test/helpers/redis-server.js';
import {
	fmt,
	hookPayload,
	median,
	openReceivers,
	percentile,
	post,
	startMpmTui,
	type ServerProcess,
} from './lib/harness.js';

const ROUNDS = 2;
const SECONDS = 3;
const SENDERS = 8;
const RATE = 500;
const LATENCY_SECONDS = 5;
const WARMUP_MS = 1000;

/** CPU seconds (user + system) a process has used so far (Linux /proc; 100 ticks a second). */
function cpuSecondsOf(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Closed-loop senders spread over `targets`; events/s accepted and all of them at `receiverOn`'s client. */
async function throughput(
	targets: ServerProcess[],
	receiverOn: ServerProcess,
	cpu: () => number,
): Promise<{rate: number; lost: number; cpuUs: number}> {
	const [receiver] = await openReceivers(receiverOn.url, 1, true);
	const cpu0 = cpu();
	let sent = 0;
	let failed = 0;
	const start = performance.now();
	const end = start + SECONDS * 1000;
	await Promise.all(
		Array.from({length: SENDERS}, async (_, i) => {
			const target = targets[i % targets.length];
			while (performance.now() < end) {
				const status = await post(target.port, JSON.stringify(hookPayload()));
				if (status === 202) sent++;
				else failed++;
			}
		}),
	);
	const elapsed = (performance.now() - start) / 1000;
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline && receiver.count < sent) await new Promise((r) => setTimeout(r, 20));
	const lost = Math.max(0, sent - receiver.count) + failed;
	const cpuUs = ((cpu() - cpu0) * 1e6) / sent;
	receiver.socket.close();
	return {rate: sent / elapsed, lost, cpuUs};
}

/** A steady RATE of single POSTs to `target`; delay until `receiverOn`'s client has each. */
async function latency(
	target: ServerProcess,
	receiverOn: ServerProcess,
): Promise<{samples: number[]; lost: number}> {
	const [receiver] = await openReceivers(receiverOn.url, 1, true);
	const samples: number[] = [];
	const start = performance.now();
	receiver.onEvent = (event, now) => {
		const sentAt = (event.payload ?? event).bench_sent as number;
		if (sentAt - start >= WARMUP_MS) samples.push(now - sentAt);
	};
	let sent = 0;
	const inflight: Promise<number>[] = [];
	await new Promise<void>((resolve) => {
		const tick = () => {
			const elapsed = performance.now() - start;
			if (elapsed >= LATENCY_SECONDS * 1000) return resolve();
			const due = Math.floor((elapsed * RATE) / 1000) - sent;
			for (let i = 0; i < due; i++) {
				sent++;
				inflight.push(post(target.port, JSON.stringify(hookPayload({bench_sent: performance.now()}))));
			}
			setTimeout(tick, 2);
		};
		tick();
	});
	await Promise.all(inflight);
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline && receiver.count < sent) await new Promise((r) => setTimeout(r, 20));
	const lost = Math.max(0, sent - receiver.count);
	receiver.socket.close();
	return {samples, lost};
}

async function main(): Promise<void> {
	const missing = redisMissing();
	if (missing) {
		console.log(`team bench skipped: ${missing}`);
		return;
	}
	const redis = await RedisServer.start();
	const alone = await startMpmTui(['--no-transcripts']);
	const a = await startMpmTui(['--no-transcripts', '--redis', redis.url]);
	const b = await startMpmTui(['--no-transcripts', '--redis', redis.url]);
	try {
		const rates = {alone: [] as number[], team: [] as number[]};
		const cpus = {alone: [] as number[], team: [] as number[]};
		const cpuAlone = () => alone.cpuSeconds();
		// The team's work is in three processes: both instances and Redis.
		const cpuTeam = () => a.cpuSeconds() + b.cpuSeconds() + cpuSecondsOf(redis.pid!);
		const delays = {alone: [] as number[], team: [] as number[]};
		let lost = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const one = await throughput([alone], alone, cpuAlone);
			const two = await throughput([a, b], b, cpuTeam);
			rates.alone.push(one.rate);
			rates.team.push(two.rate);
			cpus.alone.push(one.cpuUs);
			cpus.team.push(two.cpuUs);
			lost += one.lost + two.lost;
			const l1 = await latency(alone, alone);
			const l2 = await latency(a, b);
			delays.alone.push(...l1.samples);
			delays.team.push(...l2.samples);
			lost += l1.lost + l2.lost;
		}
		const p = percentile;
		const rateAlone = median(rates.alone);
		const rateTeam = median(rates.team);
		console.log(
			`single-event POSTs, ${SENDERS} keep-alive senders, ${ROUNDS} × ${SECONDS} s (median), one Socket.IO client:`,
		);
		const cpuOne = median(cpus.alone);
		const cpuTwo = median(cpus.team);
		console.log(`  one instance alone:             ${fmt(rateAlone)} events/s   CPU ${fmt(cpuOne)} µs/event`);
		console.log(
			`  two instances on one Redis:     ${fmt(rateTeam)} events/s   CPU ${fmt(cpuTwo)} µs/event (A + B + Redis; every event read back at B's client)`,
		);
		console.log(
			`  ratio team / alone:             ${fmt(rateTeam / rateAlone, 2)}× events/s   ${fmt(cpuTwo / cpuOne, 2)}× CPU per event`,
		);
		console.log(
			`latency at ${RATE} events/s, ${ROUNDS} × ${LATENCY_SECONDS} s after ${WARMUP_MS} ms warm-up:`,
		);
		console.log(
			`  alone (POST → its client):      p50 ${fmt(p(delays.alone, 50), 1)} ms   p99 ${fmt(p(delays.alone, 99), 1)} ms   (${fmt(delays.alone.length)} samples)`,
		);
		console.log(
			`  team (POST to A → B's client):  p50 ${fmt(p(delays.team, 50), 1)} ms   p99 ${fmt(p(delays.team, 99), 1)} ms   (${fmt(delays.team.length)} samples)`,
		);
		console.log(
			`  ratio team / alone:             p50 ${fmt(p(delays.team, 50) / p(delays.alone, 50), 2)}×   p99 ${fmt(p(delays.team, 99) / p(delays.alone, 99), 2)}×`,
		);
		console.log(`  events lost: ${lost}`);
		if (lost > 0) process.exitCode = 1;
	} finally {
		await Promise.all([alone.stop(), a.stop(), b.stop()]);
		await redis.stop();
	}
}

await main();
process.exit();
