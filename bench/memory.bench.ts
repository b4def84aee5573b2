/**
 * Memory: resident set size of the server process with 10,000 events of about 2 KB in its history,
 * against the bare baseline (bench/lib/bare-server.mjs, which keeps the same 10,000 parsed events in
 * an array). Both are measured idle first, then after the load has settled. Goal: ≤ 150 MB.
 */
import {fmt, hookPayload, post, startBare, startMpmTui, type ServerProcess} from './lib/harness.js';
import {goal} from './lib/goal.js';

const EVENTS = 10_000;
const PER_BODY = 500;

async function load(server: ServerProcess): Promise<{idle: number; loaded: number; size: number}> {
	await new Promise((r) => setTimeout(r, 500));
	const idle = server.rssMb();
	let size = 0;
	for (let i = 0; i < EVENTS / PER_BODY; i++) {
		const lines = Array.from({length: PER_BODY}, () => JSON.stringify(hookPayload({}, 1500)));
		size += lines.reduce((s, l) => s + l.length, 0);
		const status = await post(server.port, lines.join('\n') + '\n', 'application/x-ndjson');
		if (status !== 202) throw new Error(`${server.name} answered ${status}`);
	}
	await new Promise((r) => setTimeout(r, 2000));
	return {idle, loaded: server.rssMb(), size: size / EVENTS};
}

async function main(): Promise<void> {
	const bare = await startBare();
	const mpm = await startMpmTui();
	try {
		const b = await load(bare);
		const m = await load(mpm);
		const status = (await (await fetch(`${mpm.url}/api/status`)).json()) as {buffer: {used: number}};
		console.log(
			`RSS with ${fmt(EVENTS)} events of ~${fmt(m.size / 1024, 1)} KB in history (mpm-tui buffer holds ${fmt(status.buffer.used)}):`,
		);
		console.log(`  bare http + Socket.IO:  idle ${fmt(b.idle, 1)} MB, loaded ${fmt(b.loaded, 1)} MB`);
		console.log(`  mpm-tui --server-only:  idle ${fmt(m.idle, 1)} MB, loaded ${fmt(m.loaded, 1)} MB`);
		console.log(`  ratio loaded mpm-tui / bare: ${fmt(m.loaded / b.loaded, 2)}×`);
		console.log('');
		goal('memory.rss.loaded', m.loaded, '<=', 150, {unit: 'MB'});
	} finally {
		await Promise.all([bare.stop(), mpm.stop()]);
	}
}

await main();
process.exit();
