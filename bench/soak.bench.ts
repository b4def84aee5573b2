/**
 * Soak (`npm run soak`; opt-in, not part of the default `npm run bench`): the real server
 * (`dist/cli.js --server-only`, journal on) takes Claude-Code-like events — the demo generator's
 * sessions (prompts, Pre/Post tool pairs, failures, permission requests, subagents, stops), many
 * sessions at once — at a steady rate for a long time, as a realistic mix of single POSTs (the
 * forwarder's way: one event, X-Mpm-Id and X-Mpm-Received) and NDJSON batches, while mpm-tui
 * Socket.IO clients (in their own process) receive everything.
 *
 * Every 10 s it samples the server's RSS (/proc/<pid>/status) and CPU (/proc/<pid>/stat). At the
 * end it checks: every event an answer counted as accepted reached every client exactly once and
 * is in the journal exactly once (the journal is followed through its rotations while it runs);
 * no request failed; RSS grew by less than 10 % from the samples just after the warm-up to the
 * last samples; SIGTERM ends the server with exit code 0.
 *
 *   npm run soak -- [--duration-s 600] [--rate 5000] [--clients 4] [--warmup-s 60] [--sample-s 10] [--single-share 0.3]
 *   (or SOAK_DURATION_S, SOAK_RATE, SOAK_CLIENTS, SOAK_WARMUP_S)
 */
import {fork} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {demoSteps, seededRng} from '../source/core/demo.js';
import {fmt, ROOT, startMpmTui, type ServerProcess} from './lib/harness.js';
import {goal} from './lib/goal.js';
import type {ClientSummary} from './lib/soak-receivers.js';

const {values} = parseArgs({
	options: {
		'duration-s': {type: 'string', default: process.env.SOAK_DURATION_S ?? '600'},
		rate: {type: 'string', default: process.env.SOAK_RATE ?? '5000'},
		clients: {type: 'string', default: process.env.SOAK_CLIENTS ?? '4'},
		'warmup-s': {type: 'string', default: process.env.SOAK_WARMUP_S},
		'sample-s': {type: 'string', default: '10'},
		'single-share': {type: 'string', default: '0.3'},
	},
});
const DURATION_S = Number(values['duration-s']);
const RATE = Number(values.rate);
const CLIENTS = Number(values.clients);
/**
 * Warm-up: by 60 s at 5,000 ev/s every fixed-size structure is full many times over (the history
 * ring of 10,000 events after 2 s, the id window of 20,000 after 4 s), the journal has rotated
 * several times (50 MB ≈ 15 s of this load) and V8's old generation has been through major GCs:
 * RSS after that is the steady state, so growth from there is what a leak would show.
 */
const WARMUP_S = values['warmup-s'] === undefined ? Math.min(60, DURATION_S / 4) : Number(values['warmup-s']);
const SAMPLE_S = Number(values['sample-s']);
const SINGLE_SHARE = Number(values['single-share']);
for (const [name, value] of Object.entries({DURATION_S, RATE, CLIENTS, WARMUP_S, SAMPLE_S, SINGLE_SHARE})) {
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got ${value}`);
}

/** Concurrent requests at most; beyond that events wait (and the achieved rate shows it). */
const MAX_IN_FLIGHT = 32;
const STREAMS = 64;
const TICKS = 100;

// ————— the load —————

/** Many demo sessions interleaved; each payload gets a counter so that no two are the same text. */
function* events(): Generator<Record<string, unknown>> {
	const streams = Array.from({length: STREAMS}, (_, i) => demoSteps(1000 + i));
	for (let n = 1; ; n++) {
		const payload = streams[n % STREAMS].next().value!.payload;
		yield {...payload, soak_n: n};
	}
}

const agent = new http.Agent({keepAlive: true, maxSockets: MAX_IN_FLIGHT});

interface Tally {
	generated: number;
	sent: number;
	accepted: number;
	duplicates: number;
	failed: number;
	firstFailure: string;
	requests: number;
	singles: number;
	batches: number;
	lastSeq: number;
	/** Count of answers that gave each seq as accepted. */
	acceptedSeqs: Uint8Array<ArrayBuffer>;
}

const tally: Tally = {
	generated: 0,
	sent: 0,
	accepted: 0,
	duplicates: 0,
	failed: 0,
	firstFailure: '',
	requests: 0,
	singles: 0,
	batches: 0,
	lastSeq: 0,
	acceptedSeqs: new Uint8Array(1 << 22),
};

function grow(array: Uint8Array<ArrayBuffer>, index: number): Uint8Array<ArrayBuffer> {
	if (index < array.length) return array;
	let size = array.length;
	while (size <= index) size *= 2;
	const grown = new Uint8Array(size);
	grown.set(array);
	return grown;
}

let inFlight = 0;

function send(server: ServerProcess, body: string, headers: Record<string, string>, count: number): void {
	inFlight++;
	tally.requests++;
	tally.sent += count;
	const req = http.request(
		{
			host: '127.0.0.1',
			port: server.port,
			path: '/api/events',
			method: 'POST',
			agent,
			headers: {...headers, 'Content-Length': String(Buffer.byteLength(body))},
		},
		(res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				inFlight--;
				const text = Buffer.concat(chunks).toString('utf8');
				if (res.statusCode !== 202) {
					tally.failed += count;
					tally.firstFailure ||= `${res.statusCode} ${text.slice(0, 200)}`;
					return;
				}
				const answer = JSON.parse(text) as {accepted: number; duplicates: number; lastSeq: number};
				tally.accepted += answer.accepted;
				tally.duplicates += answer.duplicates;
				tally.lastSeq = Math.max(tally.lastSeq, answer.lastSeq);
				tally.acceptedSeqs = grow(tally.acceptedSeqs, answer.lastSeq);
				for (let seq = answer.lastSeq - answer.accepted + 1; seq <= answer.lastSeq; seq++)
					tally.acceptedSeqs[seq]++;
			});
		},
	);
	req.on('error', (error) => {
		inFlight--;
		tally.failed += count;
		tally.firstFailure ||= error.message;
	});
	req.end(body);
}

/** Sends `rate` events a second for `seconds`: singles with the forwarder's headers, the rest as NDJSON batches of 10–100. */
async function load(server: ServerProcess, seconds: number): Promise<void> {
	const source = events();
	const rng = seededRng(42);
	const waiting: Array<{body: string; headers: Record<string, string>; count: number}> = [];
	let batch: string[] = [];
	let batchSize = 10 + Math.floor(rng() * 91);
	let batches = 0;
	const flushBatch = () => {
		if (batch.length === 0) return;
		tally.batches++;
		waiting.push({
			body: `${batch.join('\n')}\n`,
			headers: {'Content-Type': 'application/x-ndjson', 'X-Mpm-Id': `soak-b${++batches}`},
			count: batch.length,
		});
		batch = [];
		batchSize = 10 + Math.floor(rng() * 91);
	};
	const start = performance.now();
	const end = start + seconds * 1000;
	while (performance.now() < end) {
		const due = Math.floor(((performance.now() - start) / 1000) * RATE) - tally.generated;
		for (let i = 0; i < due; i++) {
			const payload = source.next().value!;
			tally.generated++;
			const text = JSON.stringify(payload);
			if (rng() < SINGLE_SHARE) {
				tally.singles++;
				waiting.push({
					body: text,
					headers: {
						'Content-Type': 'application/json',
						'X-Mpm-Id': `soak-${tally.generated}`,
						'X-Mpm-Received': String(Date.now()),
					},
					count: 1,
				});
			} else {
				batch.push(text);
				if (batch.length >= batchSize) flushBatch();
			}
		}
		flushBatch();
		while (waiting.length > 0 && inFlight < MAX_IN_FLIGHT) {
			const next = waiting.shift()!;
			send(server, next.body, next.headers, next.count);
		}
		await new Promise((resolve) => setTimeout(resolve, 1000 / TICKS));
	}
	while (waiting.length > 0 || inFlight > 0) {
		while (waiting.length > 0 && inFlight < MAX_IN_FLIGHT) {
			const next = waiting.shift()!;
			send(server, next.body, next.headers, next.count);
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

// ————— the journal, followed through its rotations —————

class JournalFollower {
	private ino = 0;
	private offset = 0;
	private rest = '';
	counts: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 22);
	lines = 0;
	bad = 0;
	maxSeq = 0;

	constructor(private readonly file: string) {}

	/** Reads what was appended since the last call; a rotated file (now `.1` or `.2`) is finished first. */
	poll(): void {
		let stat: fs.Stats;
		try {
			stat = fs.statSync(this.file);
		} catch {
			return;
		}
		if (this.ino !== 0 && stat.ino !== this.ino) {
			for (const old of [`${this.file}.1`, `${this.file}.2`]) {
				try {
					if (fs.statSync(old).ino === this.ino) {
						this.read(old);
						break;
					}
				} catch {
					// rotated away already: the check at the end will say what is missing
				}
			}
			if (this.rest !== '') this.bad++;
			this.rest = '';
			this.offset = 0;
		}
		this.ino = stat.ino;
		this.read(this.file);
	}

	private read(file: string): void {
		const fd = fs.openSync(file, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			if (size <= this.offset) return;
			const bytes = Buffer.alloc(size - this.offset);
			fs.readSync(fd, bytes, 0, bytes.length, this.offset);
			this.offset = size;
			const text = this.rest + bytes.toString('utf8');
			const lines = text.split('\n');
			this.rest = lines.pop()!;
			for (const line of lines) {
				if (line === '') continue;
				this.lines++;
				const seq = /^\{"seq":(\d+),/.exec(line);
				if (!seq) {
					this.bad++;
					continue;
				}
				const n = Number(seq[1]);
				this.counts = grow(this.counts, n);
				this.counts[n]++;
				if (n > this.maxSeq) this.maxSeq = n;
			}
		} finally {
			fs.closeSync(fd);
		}
	}
}

// ————— receivers in their own process —————

interface Receivers {
	summary(): Promise<ClientSummary[]>;
	close(): Promise<void>;
	cpuSeconds(): number;
}

async function startSoakReceivers(url: string, n: number): Promise<Receivers> {
	const child = fork(path.join(ROOT, 'bench', 'lib', 'soak-receivers.ts'), [url, String(n)], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`the receivers exited with ${code}`)));
	});
	return {
		summary: () =>
			new Promise((resolve) => {
				const onMessage = (message: {type: string; clients: ClientSummary[]}) => {
					if (message.type !== 'summary') return;
					child.off('message', onMessage);
					resolve(message.clients);
				};
				child.on('message', onMessage);
				child.send({type: 'summary'});
			}),
		async close() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.send({type: 'close'});
			await exited;
		},
		cpuSeconds: () => cpuSecondsOf(child.pid!),
	};
}

// ————— /proc —————

const CLK_TCK = 100;

function cpuSecondsOf(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMbOf(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Sample {
	t: number;
	rssMb: number;
	cpuPercent: number;
	rate: number;
	accepted: number;
	clientLag: number;
	journalLag: number;
	backlog: number;
}

function table(samples: Sample[]): string {
	const head = ['t (s)', 'accepted', 'ev/s', 'RSS MB', 'CPU %', 'client lag', 'journal lag', 'in flight'];
	const rows = samples.map((s) => [
		String(Math.round(s.t)),
		fmt(s.accepted),
		fmt(s.rate),
		fmt(s.rssMb, 1),
		fmt(s.cpuPercent, 1),
		fmt(s.clientLag),
		fmt(s.journalLag),
		fmt(s.backlog),
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	return [head, ...rows].map((r) => r.map((c, i) => c.padStart(widths[i])).join('  ')).join('\n');
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<number> {
	console.log(
		`soak: ${DURATION_S} s at ${fmt(RATE)} events/s (${Math.round(SINGLE_SHARE * 100)} % single POSTs, the rest NDJSON batches of 10–100), ${CLIENTS} mpm-tui clients, samples every ${SAMPLE_S} s, warm-up ${WARMUP_S} s`,
	);
	const server = await startMpmTui();
	const pid = server.child.pid!;
	const journalPath = ((await (await fetch(`${server.url}/api/status`)).json()) as {journal: {path: string}})
		.journal.path;
	const receivers = await startSoakReceivers(server.url, CLIENTS);
	const journal = new JournalFollower(journalPath);
	const samples: Sample[] = [];
	const started = performance.now();
	let lastCpu = cpuSecondsOf(pid);
	let lastT = 0;
	let lastAccepted = 0;
	const follow = setInterval(() => journal.poll(), 500);
	console.log(table([]));
	const sampler = setInterval(() => {
		void (async () => {
			const t = (performance.now() - started) / 1000;
			const cpu = cpuSecondsOf(pid);
			const clients = await receivers.summary();
			const sample: Sample = {
				t,
				rssMb: rssMbOf(pid),
				cpuPercent: ((cpu - lastCpu) / (t - lastT)) * 100,
				rate: (tally.accepted - lastAccepted) / (t - lastT),
				accepted: tally.accepted,
				clientLag: tally.lastSeq - Math.min(...clients.map((c) => c.maxSeq)),
				journalLag: tally.lastSeq - journal.maxSeq,
				backlog: inFlight,
			};
			lastCpu = cpu;
			lastT = t;
			lastAccepted = tally.accepted;
			samples.push(sample);
			console.log(table([sample]).split('\n')[1]);
		})();
	}, SAMPLE_S * 1000);
	const receiverCpu0 = receivers.cpuSeconds();
	const loadCpu0 = process.cpuUsage();
	const serverCpu0 = cpuSecondsOf(pid);
	await load(server, DURATION_S);
	const sendSeconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	const serverCpu = cpuSecondsOf(pid) - serverCpu0;

	// Everything accepted must reach every client and the journal.
	const deadline = Date.now() + 60_000;
	let clients = await receivers.summary();
	while (Date.now() < deadline && clients.some((c) => c.maxSeq < tally.lastSeq)) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		clients = await receivers.summary();
	}
	const receiverCpu = receivers.cpuSeconds() - receiverCpu0;
	await receivers.close();
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
		server.child.once('exit', (code, signal) => resolve({code, signal})),
	);
	server.child.kill('SIGTERM');
	const exit = await exited;
	clearInterval(follow);
	journal.poll();
	fs.rmSync(path.dirname(journalPath), {recursive: true, force: true});
	agent.destroy();
	const loadCpu = process.cpuUsage(loadCpu0);

	const problems: string[] = [];
	const n = tally.lastSeq;
	let gaps = 0;
	let repeats = 0;
	for (let seq = 1; seq <= n; seq++) {
		if (tally.acceptedSeqs[seq] === 0) gaps++;
		else if (tally.acceptedSeqs[seq] > 1) repeats++;
	}
	if (gaps + repeats > 0)
		problems.push(
			`the answers do not account for seqs 1–${n} exactly once: ${gaps} never answered, ${repeats} answered twice`,
		);
	if (tally.accepted !== n) problems.push(`answers counted ${tally.accepted} accepted, the last seq is ${n}`);
	if (tally.failed > 0)
		problems.push(`${tally.failed} event(s) in failed requests (first: ${tally.firstFailure})`);
	if (tally.duplicates > 0)
		problems.push(`${tally.duplicates} event(s) answered as duplicates (every payload was distinct)`);
	let clientsLost = 0;
	for (const [i, c] of clients.entries()) {
		const lost = n - (c.received - c.repeated);
		clientsLost += Math.max(0, lost);
		if (lost !== 0 || c.repeated > 0 || c.minSeq !== 1 || c.maxSeq !== n || c.outOfOrder > 0)
			problems.push(
				`client ${i + 1}: ${lost} lost, ${c.repeated} repeated, ${c.outOfOrder} out of order, seqs ${c.minSeq}–${c.maxSeq} of 1–${n}${c.lost ? `, disconnected (${c.lost})` : ''}`,
			);
	}
	let missing = 0;
	let twice = 0;
	for (let seq = 1; seq <= n; seq++) {
		if (journal.counts[seq] === 0) missing++;
		else if (journal.counts[seq] > 1) twice++;
	}
	if (missing + twice + journal.bad > 0 || journal.lines !== n)
		problems.push(
			`journal: ${missing} of ${n} missing, ${twice} written twice, ${journal.bad} unreadable line(s), ${journal.lines} lines`,
		);
	if (exit.signal !== null || exit.code !== 0)
		problems.push(
			`SIGTERM: the server ended with ${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`}, expected 0`,
		);

	const after = samples.filter((s) => s.t > WARMUP_S);
	let growth = NaN;
	if (after.length >= 2) {
		const first = medianOf(after.slice(0, 3).map((s) => s.rssMb));
		const last = medianOf(after.slice(-3).map((s) => s.rssMb));
		growth = (last - first) / first;
		if (growth >= 0.1)
			problems.push(
				`RSS grew ${fmt(growth * 100, 1)} % after the warm-up (${fmt(first, 1)} → ${fmt(last, 1)} MB), limit 10 %`,
			);
	} else problems.push(`too few samples after the ${WARMUP_S} s warm-up to judge RSS growth (run longer)`);
	const achieved = tally.accepted / sendSeconds;
	if (achieved < RATE * 0.95)
		problems.push(
			`achieved ${fmt(achieved)} events/s of the ${fmt(RATE)} asked (this machine could not keep the rate)`,
		);

	console.log('');
	console.log(
		`sent ${fmt(tally.sent)} events in ${fmt(tally.requests)} requests (${fmt(tally.singles)} single POSTs, ${fmt(tally.batches)} NDJSON batches) over ${fmt(sendSeconds, 1)} s: ${fmt(achieved)} events/s accepted`,
	);
	console.log(
		`accepted ${fmt(tally.accepted)}, last seq ${fmt(n)}, duplicates ${fmt(tally.duplicates)}, failed ${fmt(tally.failed)}`,
	);
	console.log(
		`clients: ${clients.map((c) => `${fmt(c.received)} received`).join(', ')}; journal: ${fmt(journal.lines)} lines followed through rotations`,
	);
	const rss = samples.map((s) => s.rssMb);
	console.log(
		`server RSS: min ${fmt(Math.min(...rss), 1)} MB, max ${fmt(Math.max(...rss), 1)} MB; growth after the ${WARMUP_S} s warm-up (median of the first 3 samples after it → median of the last 3): ${fmt(growth * 100, 1)} %`,
	);
	console.log(
		`CPU: server ${fmt((serverCpu / sendSeconds) * 100, 1)} % (${fmt((serverCpu * 1e6) / Math.max(1, tally.accepted), 1)} µs per event), clients ${fmt((receiverCpu / sendSeconds) * 100, 1)} %, load generator ${fmt(((loadCpu.user + loadCpu.system) / 1e6 / sendSeconds) * 100, 1)} %`,
	);
	console.log(`server exit on SIGTERM: ${exit.signal ?? `code ${exit.code}`}`);
	console.log('');
	goal('soak.lost', gaps + clientsLost + missing + tally.failed, '<=', 0, {digits: 0});
	goal('soak.rss.growth', growth * 100, '<=', 10, {unit: '%'});
	goal('soak.rate', (achieved / RATE) * 100, '>=', 95, {unit: '%', digits: 0});
	console.log(
		problems.length === 0
			? 'verdict: passed — 0 lost, RSS growth under 10 %'
			: `verdict: FAILED\n  ${problems.join('\n  ')}`,
	);
	return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();
process.exit();
