/**
 * A real `mpm-tui --server-only` process under fuzz, and the invariants checked against it after
 * every batch of cases:
 *
 * - the process is alive;
 * - every stdout line is valid UTF-8 and JSON, has the record's shape, and holds none of the code
 *   points U+0080–U+009F, U+202A–U+202E, U+2066–U+2069 raw;
 * - every event a 2xx answer (or ack) counted as accepted has its seq (answers give `accepted` and
 *   `lastSeq`; the pipeline gives one answer's events consecutive seqs) on stdout, in
 *   `GET /api/events`, in the journal and at a listening mpm-tui socket exactly once, under the
 *   same id; no other seq appears; seqs are consecutive and increasing;
 * - a canary posted afterwards is delivered to the mpm-tui socket;
 * - on a restart over the same state dir (SIGTERM → exit 0), every line of the journal is read
 *   back, the history is the same and seqs continue.
 *
 * Nothing here knows how the server works inside: the oracles are the answers, the protocol and
 * the files it documents (docs/protocol.md, docs/ARCHITECTURE.md).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isUtf8} from 'node:buffer';
import {io, type Socket} from 'socket.io-client';
import {CLI} from './server-kit.js';
import {rawRequest, type RawAnswer} from './raw-request.js';

/**
 * Invariants a triage run skips (`npm run fuzz -- --skip raw-controls`) to look past a known
 * failure for the next one. Empty in `npm test`; a run that skips any never reports a pass.
 */
export const skippedChecks = new Set<'raw-controls' | 'server-error'>();

/** Raw C1 controls and bidi overrides/isolates: a terminal acts on them. */
export const FORBIDDEN_RAW = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let markerCounter = 0;
/** A fresh marker: goes in a good event's `tool_use_id`, so the event can be found wherever it lands. */
export function freshMarker(prefix = 'good'): string {
	return `${prefix}-${process.pid}-${(++markerCounter).toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A well-formed Claude Code hook event carrying `marker`. */
export function goodEventText(marker: string): string {
	return JSON.stringify({
		hook_event_name: 'PreToolUse',
		session_id: 'fuzz-good',
		cwd: '/repo',
		tool_name: 'Bash',
		tool_use_id: marker,
		tool_input: {command: `echo ${marker}`},
	});
}

/** What the stdout watcher keeps of a record (enough to compare it with the other channels). */
export interface Seen {
	id: string;
	toolUseId: string | null;
	source: string;
	type: string;
}

/** Shortens a text for a failure message. */
export function clip(text: string, max = 300): string {
	const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}` : text);
	return text.length > max ? `${shown}…(+${text.length - max} chars)` : shown;
}

/** Why a record read from stdout does not have the record's shape, or null. */
function shapeError(record: any): string | null {
	if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not an object';
	if (!Number.isSafeInteger(record.seq) || record.seq < 1)
		return `seq ${clip(String(record.seq))} is not a whole number ≥ 1`;
	if (typeof record.id !== 'string' || record.id === '') return 'id is not a non-empty string';
	if (typeof record.time !== 'string' || !Number.isFinite(Date.parse(record.time)))
		return `time ${clip(String(record.time))} is not a date`;
	if (typeof record.type !== 'string' || record.type === '') return 'type is not a non-empty string';
	if (typeof record.summary !== 'string') return 'summary is not a string';
	if (typeof record.source !== 'string') return 'source is not a string';
	if (typeof record.payload !== 'object' || record.payload === null || Array.isArray(record.payload))
		return 'payload is not an object';
	for (const key of ['session', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd']) {
		if (record[key] !== null && typeof record[key] !== 'string') return `${key} is neither null nor a string`;
	}
	return null;
}

export interface FuzzServerOptions {
	/** Reuse this state dir (a restart); else a fresh temp dir. */
	stateDir?: string;
	/** Extra command-line flags. */
	args?: string[];
}

export class FuzzServer {
	readonly stateDir: string;
	readonly journalPath: string;
	readonly spoolPath: string;
	child!: ChildProcess;
	port = 0;
	url = '';
	private stderrText = '';
	private stdoutRest = Buffer.alloc(0);
	private stdoutLines = 0;
	/** seq → record seen on stdout (only seqs not yet verified, plus a window for restarts). */
	private readonly stdout = new Map<number, Seen>();
	private readonly stdoutDuplicates: number[] = [];
	private lastStdoutSeq = 0;
	private readonly violations: string[] = [];
	/** seqs that answers said were accepted, not yet verified. */
	private readonly expected = new Map<number, string>();
	/** Markers of good events that must be on stdout exactly once, with what sent them. */
	private readonly mustDeliver = new Map<string, string>();
	/** Markers of events that may be refused but must never be stored twice. */
	private readonly atMostOnce = new Map<string, string>();
	/** Everything up to this seq has been verified on every channel. */
	verifiedUpTo = 0;
	/** id of each verified seq (for the restart check), bounded to the history's capacity. */
	private readonly verifiedIds = new Map<number, string>();
	private journalOffset = 0;
	private readonly journal = new Map<number, {id: string; count: number}>();
	private listener: Socket | undefined;
	private readonly listened = new Map<number, {id: string; count: number}>();
	private listenerError = '';
	private canaries = 0;
	/** The last failure: the next run starts on a fresh server. */
	dirty = false;

	private constructor(stateDir: string) {
		this.stateDir = stateDir;
		this.journalPath = path.join(stateDir, 'journal.ndjson');
		this.spoolPath = path.join(stateDir, 'spool.ndjson');
	}

	/** Starts a server (fresh state unless `stateDir`), waits for it to listen, connects the listener. */
	static async start(options: FuzzServerOptions = {}): Promise<FuzzServer> {
		const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-fuzz-'));
		const server = new FuzzServer(stateDir);
		await server.spawn(options.args ?? []);
		return server;
	}

	private async spawn(args: string[]): Promise<void> {
		this.stderrText = '';
		this.stdoutRest = Buffer.alloc(0);
		this.lastStdoutSeq = this.verifiedUpTo;
		// A minimal environment: the developer's MPM_TUI_* never leak in; HOME is the temp dir too.
		const env = {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			NODE_ENV: 'production',
			HOME: this.stateDir,
			MPM_TUI_STATE_DIR: this.stateDir,
		};
		const child = spawn(process.execPath, [CLI, '--server-only', '--port', '0', ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
		child.stderr!.on('data', (chunk: Buffer) => {
			this.stderrText += chunk.toString('utf8');
			if (this.stderrText.length > 64_000) this.stderrText = this.stderrText.slice(-32_000);
		});
		const deadline = Date.now() + 15_000;
		for (;;) {
			const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.stderrText);
			if (found) {
				this.port = Number(found[1]);
				break;
			}
			if (!this.alive())
				throw new Error(
					`the server exited before listening (${this.exitText()}); stderr: ${this.stderrTail()}`,
				);
			if (Date.now() > deadline)
				throw new Error(`the server did not listen within 15 s; stderr: ${this.stderrTail()}`);
			await sleep(10);
		}
		this.url = `http://127.0.0.1:${this.port}`;
		await this.connectListener();
	}

	private connectListener(): Promise<void> {
		this.listener?.close();
		const socket = io(this.url, {
			auth: {client: 'mpm-tui'},
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			timeout: 5000,
		});
		this.listener = socket;
		socket.on('events', (batch: unknown) => {
			if (!Array.isArray(batch)) {
				this.listenerError ||= `an "events" message was not an array: ${clip(JSON.stringify(batch) ?? String(batch))}`;
				return;
			}
			for (const record of batch as Array<{seq?: unknown; id?: unknown}>) {
				if (typeof record?.seq !== 'number') {
					this.listenerError ||= `an "events" record has no seq: ${clip(JSON.stringify(record) ?? '')}`;
					continue;
				}
				const entry = this.listened.get(record.seq);
				if (entry) entry.count++;
				else this.listened.set(record.seq, {id: String(record.id), count: 1});
			}
		});
		socket.on('disconnect', (reason) => {
			this.listenerError ||= `the mpm-tui listener was disconnected (${reason})`;
		});
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error('the mpm-tui listener did not get "hello" within 5 s')),
				5000,
			);
			socket.once('hello', () => {
				clearTimeout(timer);
				resolve();
			});
			socket.once('connect_error', (error) => {
				clearTimeout(timer);
				reject(new Error(`the mpm-tui listener could not connect: ${error.message}`));
			});
		});
	}

	private onStdout(chunk: Buffer): void {
		let data = this.stdoutRest.length > 0 ? Buffer.concat([this.stdoutRest, chunk]) : chunk;
		for (;;) {
			const nl = data.indexOf(0x0a);
			if (nl === -1) break;
			this.onLine(data.subarray(0, nl));
			data = data.subarray(nl + 1);
		}
		this.stdoutRest = Buffer.from(data);
	}

	private onLine(bytes: Buffer): void {
		this.stdoutLines++;
		const where = `stdout line ${this.stdoutLines}`;
		if (!isUtf8(bytes)) {
			this.violations.push(`${where} is not valid UTF-8: ${clip(bytes.toString('latin1'))}`);
			return;
		}
		const text = bytes.toString('utf8');
		const raw = FORBIDDEN_RAW.exec(text);
		if (raw && !skippedChecks.has('raw-controls'))
			this.violations.push(
				`${where} holds U+${raw[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} raw (a terminal acts on it) at char ${raw.index}: ${clip(text.slice(Math.max(0, raw.index - 60), raw.index + 20))}`,
			);
		let record: any;
		try {
			record = JSON.parse(text);
		} catch (error) {
			this.violations.push(`${where} is not JSON (${(error as Error).message}): ${clip(text)}`);
			return;
		}
		const wrong = shapeError(record);
		if (wrong) {
			this.violations.push(`${where} is not a record: ${wrong}: ${clip(text)}`);
			if (!Number.isSafeInteger(record?.seq)) return;
		}
		const seq = record.seq as number;
		if (this.stdout.has(seq) || seq <= this.verifiedUpTo) this.stdoutDuplicates.push(seq);
		if (seq <= this.lastStdoutSeq)
			this.violations.push(`${where}: seq ${seq} comes after seq ${this.lastStdoutSeq} (not increasing)`);
		this.lastStdoutSeq = Math.max(this.lastStdoutSeq, seq);
		this.stdout.set(seq, {
			id: String(record.id),
			toolUseId: typeof record.toolUseId === 'string' ? record.toolUseId : null,
			source: String(record.source),
			type: String(record.type),
		});
	}

	alive(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** After something went wrong: '' while the process lives (given a moment to end), else how it died and its stderr. */
	async deathNote(): Promise<string> {
		for (let i = 0; i < 30 && this.alive(); i++) await sleep(10);
		return this.alive()
			? ''
			: ` — the server process died (${this.exitText()}); stderr: ${this.stderrTail()}`;
	}

	exitText(): string {
		return this.child.signalCode ? `killed by ${this.child.signalCode}` : `exit code ${this.child.exitCode}`;
	}

	stderrTail(max = 1500): string {
		const text = this.stderrText.trim();
		return text.length > max ? `…${text.slice(-max)}` : text;
	}

	/** Records that an answer counted `accepted` events ending at `lastSeq`. */
	expectAccepted(accepted: number, lastSeq: number, what: string): void {
		for (let seq = lastSeq - accepted + 1; seq <= lastSeq; seq++) {
			if (seq <= this.verifiedUpTo || this.expected.has(seq))
				throw new Error(
					`${what}: answered seq ${seq} as newly accepted, but an earlier answer already had it`,
				);
			this.expected.set(seq, what);
		}
	}

	/** A good event that must be on every channel exactly once (its answer was 2xx). */
	expectDelivered(marker: string, what: string): void {
		this.mustDeliver.set(marker, what);
	}

	/** An event that may be refused, but never stored twice. */
	expectAtMostOnce(marker: string, what: string): void {
		this.atMostOnce.set(marker, what);
	}

	/** Posts a canary and waits until it is on stdout and at the mpm-tui listener. */
	async canary(): Promise<number> {
		const marker = freshMarker('canary');
		const id = `canary-${++this.canaries}-${randomBytes(3).toString('hex')}`;
		let answer: RawAnswer;
		try {
			answer = await rawRequest({
				port: this.port,
				method: 'POST',
				path: '/api/events',
				headers: [
					['Content-Type', 'application/json'],
					['X-Mpm-Id', id],
				],
				body: Buffer.from(goodEventText(marker)),
			});
		} catch (error) {
			throw new Error(`the canary got no answer (${(error as Error).message})`);
		}
		const body = parseJson(answer.body);
		if (answer.status !== 202 || body?.accepted !== 1)
			throw new Error(`the canary was not accepted: ${answer.status} ${clip(answer.body.toString('utf8'))}`);
		const seq = body.lastSeq as number;
		this.expectAccepted(1, seq, 'the canary');
		this.expectDelivered(marker, 'the canary');
		const deadline = Date.now() + 15_000;
		while (!this.stdout.has(seq) || !this.listened.has(seq)) {
			if (!this.alive()) throw new Error(`the server died after the canary (${this.exitText()})`);
			if (Date.now() > deadline) {
				throw new Error(
					`the canary (seq ${seq}) did not arrive within 15 s: stdout ${this.stdout.has(seq) ? 'has it' : 'lacks it'}, mpm-tui listener ${this.listened.has(seq) ? 'has it' : `lacks it${this.listenerError ? ` (${this.listenerError})` : ''}`}`,
				);
			}
			await sleep(5);
		}
		return seq;
	}

	/**
	 * Checks every invariant for everything since the last check (see the header). `consecutiveOnly`
	 * (the spool drain, which answers nobody) accepts any new seqs as long as they are consecutive.
	 * Throws with every broken invariant named.
	 */
	async verify(
		options: {consecutiveOnly?: boolean; inspect?: (records: ReadonlyMap<number, Seen>) => string[]} = {},
	): Promise<void> {
		const problems: string[] = [];
		if (!this.alive()) {
			this.dirty = true;
			throw new Error(`the server process died (${this.exitText()}); stderr: ${this.stderrTail()}`);
		}
		let top: number;
		try {
			top = await this.canary();
		} catch (error) {
			this.dirty = true;
			throw new Error(`${(error as Error).message}${await this.deathNote()}`);
		}
		problems.push(...this.violations.splice(0));
		if (this.listenerError) problems.push(this.listenerError);
		if (this.stdoutDuplicates.length > 0)
			problems.push(`stdout repeats seq ${this.stdoutDuplicates.splice(0).slice(0, 5).join(', ')}`);
		const from = this.verifiedUpTo + 1;
		// Stdout: exactly the accepted seqs, consecutive.
		for (let seq = from; seq <= top; seq++) {
			if (!this.stdout.has(seq))
				problems.push(
					`seq ${seq} is missing from stdout${this.expected.has(seq) ? ` (accepted by ${this.expected.get(seq)})` : ' (seqs are not consecutive)'}`,
				);
			else if (!options.consecutiveOnly && !this.expected.has(seq))
				problems.push(
					`seq ${seq} (id ${clip(this.stdout.get(seq)!.id)}) is on stdout, but no 2xx answer accounted for it`,
				);
		}
		for (const [seq, what] of this.expected)
			if (seq > top) problems.push(`${what} was answered with seq ${seq}, after the canary's ${top}`);
		for (const seq of this.stdout.keys())
			if (seq > top) problems.push(`stdout has seq ${seq}, after the canary's ${top}`);
		// Good events: each exactly once.
		const byMarker = new Map<string, number>();
		for (let seq = from; seq <= top; seq++) {
			const marker = this.stdout.get(seq)?.toolUseId;
			if (marker) byMarker.set(marker, (byMarker.get(marker) ?? 0) + 1);
		}
		for (const [marker, what] of this.mustDeliver) {
			const n = byMarker.get(marker) ?? 0;
			if (n !== 1)
				problems.push(`${what}: a good event (tool_use_id ${marker}) is on stdout ${n} times, expected once`);
		}
		for (const [marker, what] of this.atMostOnce) {
			const n = byMarker.get(marker) ?? 0;
			if (n > 1)
				problems.push(
					`${what}: an event (tool_use_id ${marker}) is on stdout ${n} times, expected at most once`,
				);
		}
		if (options.inspect) {
			const records = new Map<number, Seen>();
			for (let seq = from; seq <= top; seq++) {
				const seen = this.stdout.get(seq);
				if (seen) records.set(seq, seen);
			}
			problems.push(...options.inspect(records));
		}
		// History, journal, listener: the same seqs under the same ids, once each.
		problems.push(...(await this.checkHistory(from, top)));
		problems.push(...this.checkJournal(from, top));
		problems.push(...this.checkChannel('the mpm-tui listener', this.listened, from, top));
		for (let seq = from; seq <= top; seq++) {
			const seen = this.stdout.get(seq);
			if (seen) this.verifiedIds.set(seq, seen.id);
			this.stdout.delete(seq);
			this.listened.delete(seq);
			this.journal.delete(seq);
		}
		for (const seq of this.verifiedIds.keys()) {
			if (seq > top - 10_000) break;
			this.verifiedIds.delete(seq);
		}
		this.expected.clear();
		this.mustDeliver.clear();
		this.atMostOnce.clear();
		this.verifiedUpTo = top;
		if (problems.length > 0) {
			this.dirty = true;
			const shown = problems.slice(0, 12);
			if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more`);
			throw new Error(
				`${shown.join('\n')}${this.alive() ? '' : `\nthe server process died (${this.exitText()})`}\nserver stderr: ${this.stderrTail(800)}`,
			);
		}
	}

	private checkChannel(
		name: string,
		seen: Map<number, {id: string; count: number}>,
		from: number,
		top: number,
	): string[] {
		const problems: string[] = [];
		for (let seq = from; seq <= top; seq++) {
			const entry = seen.get(seq);
			const want = this.stdout.get(seq)?.id;
			if (!entry) problems.push(`${name} lacks seq ${seq}`);
			else if (entry.count !== 1) problems.push(`${name} has seq ${seq} ${entry.count} times`);
			else if (want !== undefined && entry.id !== want)
				problems.push(`${name} has seq ${seq} with id ${clip(entry.id)}, stdout with ${clip(want)}`);
		}
		for (const seq of seen.keys())
			if (seq > top || seq < from)
				problems.push(`${name} has seq ${seq}, outside the checked range ${from}–${top}`);
		return problems;
	}

	private async checkHistory(from: number, top: number): Promise<string[]> {
		const seen = new Map<number, {id: string; count: number}>();
		let since = from - 1;
		for (let page = 0; since < top; page++) {
			let answer: RawAnswer;
			try {
				answer = await rawRequest({
					port: this.port,
					method: 'GET',
					path: `/api/events?since=${since}&limit=10000`,
					headers: [],
					body: Buffer.alloc(0),
				});
			} catch (error) {
				return [`GET /api/events?since=${since} got no answer (${(error as Error).message})`];
			}
			const body = parseJson(answer.body);
			if (answer.status !== 200 || !Array.isArray(body?.events))
				return [
					`GET /api/events?since=${since} answered ${answer.status}: ${clip(answer.body.toString('utf8'))}`,
				];
			const events = body.events as Array<{seq: number; id: string}>;
			if (events.length === 0) break;
			for (const record of events) {
				const entry = seen.get(record.seq);
				if (entry) entry.count++;
				else seen.set(record.seq, {id: record.id, count: 1});
			}
			const last = events[events.length - 1].seq;
			if (last <= since) return [`GET /api/events?since=${since} went backwards (last seq ${last})`];
			since = last;
			if (page > 1000) return ['GET /api/events paged more than 1000 times'];
		}
		for (const seq of [...seen.keys()]) if (seq > top) seen.delete(seq);
		return this.checkChannel('the history (GET /api/events)', seen, from, top);
	}

	private checkJournal(from: number, top: number): string[] {
		const problems: string[] = [];
		let size: number;
		try {
			size = fs.statSync(this.journalPath).size;
		} catch (error) {
			return [`the journal ${this.journalPath} cannot be read: ${(error as Error).message}`];
		}
		const texts: string[] = [];
		if (size < this.journalOffset) {
			// Rotated: the rest of the old file is now `.1`.
			try {
				texts.push(fs.readFileSync(`${this.journalPath}.1`).subarray(this.journalOffset).toString('utf8'));
			} catch (error) {
				problems.push(
					`the journal shrank and ${this.journalPath}.1 cannot be read: ${(error as Error).message}`,
				);
			}
			this.journalOffset = 0;
		}
		const fd = fs.openSync(this.journalPath, 'r');
		try {
			const bytes = Buffer.alloc(size - this.journalOffset);
			fs.readSync(fd, bytes, 0, bytes.length, this.journalOffset);
			const end = bytes.lastIndexOf(0x0a) + 1;
			this.journalOffset += end;
			texts.push(bytes.subarray(0, end).toString('utf8'));
		} finally {
			fs.closeSync(fd);
		}
		for (const text of texts) {
			for (const line of text.split('\n')) {
				if (line === '') continue;
				let record: {seq?: unknown; id?: unknown};
				try {
					record = JSON.parse(line);
				} catch {
					problems.push(`a journal line is not JSON: ${clip(line)}`);
					continue;
				}
				if (typeof record.seq !== 'number') {
					problems.push(`a journal line has no seq: ${clip(line)}`);
					continue;
				}
				const entry = this.journal.get(record.seq);
				if (entry) entry.count++;
				else this.journal.set(record.seq, {id: String(record.id), count: 1});
			}
		}
		return [...problems, ...this.checkChannel('the journal', this.journal, from, top)];
	}

	/**
	 * Stops the server with SIGTERM (it must exit 0, not by a signal), starts it again over the same
	 * state dir and checks that every journal line was read back, the history kept its ids and seqs
	 * continue (a canary gets the next seq).
	 */
	async restartCheck(): Promise<void> {
		const problems: string[] = [];
		const stopped = await this.stop();
		if (stopped.signal !== null || stopped.code !== 0)
			problems.push(
				`SIGTERM: the server ended with ${stopped.signal ? `signal ${stopped.signal}` : `exit code ${stopped.code}`}, expected exit code 0; stderr: ${this.stderrTail(600)}`,
			);
		try {
			await this.spawn([]);
		} catch (error) {
			this.dirty = true;
			throw new Error(
				[...problems, `restarting over the same journal failed: ${(error as Error).message}`].join('\n'),
			);
		}
		const status = await rawRequest({
			port: this.port,
			method: 'GET',
			path: '/api/status',
			headers: [],
			body: Buffer.alloc(0),
		}).catch(() => null);
		const stats = status ? parseJson(status.body) : null;
		if (!stats) problems.push('GET /api/status got no JSON answer after the restart');
		else {
			if (stats.events?.lastSeq !== this.verifiedUpTo)
				problems.push(`after the restart lastSeq is ${stats.events?.lastSeq}, expected ${this.verifiedUpTo}`);
			if (stats.journal?.skipped !== 0)
				problems.push(
					`after the restart ${stats.journal?.skipped} journal line(s) the server wrote itself could not be read back`,
				);
		}
		const oldest = Math.min(...this.verifiedIds.keys(), this.verifiedUpTo + 1);
		const history = new Map<number, string>();
		let since = oldest - 1;
		while (since < this.verifiedUpTo) {
			const answer = await rawRequest({
				port: this.port,
				method: 'GET',
				path: `/api/events?since=${since}&limit=10000`,
				headers: [],
				body: Buffer.alloc(0),
			}).catch(() => null);
			const events = answer
				? (parseJson(answer.body)?.events as Array<{seq: number; id: string}> | undefined)
				: undefined;
			if (!events || events.length === 0) break;
			for (const record of events) history.set(record.seq, record.id);
			since = events[events.length - 1].seq;
		}
		let missing = 0;
		for (const [seq, id] of this.verifiedIds) {
			if (history.get(seq) === id) continue;
			if (missing++ < 5)
				problems.push(
					`after the restart the history has ${history.has(seq) ? `id ${clip(history.get(seq)!)}` : 'nothing'} at seq ${seq}, expected ${clip(id)}`,
				);
		}
		if (missing > 5) problems.push(`…${missing} seqs differ in all`);
		if (problems.length > 0) {
			this.dirty = true;
			throw new Error(`${problems.join('\n')}\nserver stderr: ${this.stderrTail(800)}`);
		}
		// The first event after the restart must continue the seqs (checked as consecutive by verify).
		await this.verify();
	}

	/** SIGTERM, then SIGKILL after 5 s; resolves with how it ended. */
	async stop(): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
		this.listener?.close();
		this.listener = undefined;
		this.listenerError = '';
		const child = this.child;
		if (child.exitCode !== null || child.signalCode !== null)
			return {code: child.exitCode, signal: child.signalCode};
		const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
			child.once('exit', (code, signal) => resolve({code, signal})),
		);
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		const result = await ended;
		clearTimeout(timer);
		return result;
	}

	/** Stops the server and removes its state dir. */
	async dispose(): Promise<void> {
		await this.stop();
		fs.rmSync(this.stateDir, {recursive: true, force: true});
	}
}

export function parseJson(bytes: Buffer): any {
	try {
		return JSON.parse(bytes.toString('utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Keeps one server for a series of fast-check runs: a fresh one at the start, after a failure (so
 * that each run, and each shrink step, starts from a known state) and every `freshEvery` runs;
 * a restart over the same state dir every `restartEvery` runs.
 */
export class ServerPool {
	private server: FuzzServer | undefined;
	private runs = 0;
	/** Servers started and restarts checked, for the figures. */
	readonly counts = {servers: 0, restarts: 0};

	constructor(private readonly options: {restartEvery?: number; freshEvery?: number} = {}) {}

	async get(): Promise<FuzzServer> {
		const fresh = this.options.freshEvery ?? 500;
		if (this.server && (this.server.dirty || !this.server.alive() || this.runs >= fresh)) {
			await this.server.dispose();
			this.server = undefined;
		}
		if (!this.server) {
			this.server = await FuzzServer.start();
			this.counts.servers++;
			this.runs = 0;
		}
		this.runs++;
		return this.server;
	}

	/** Call after a run passed: restarts over the same state dir when it is time. */
	async afterRun(): Promise<void> {
		const every = this.options.restartEvery ?? 0;
		if (!this.server || every <= 0 || this.runs % every !== 0) return;
		this.counts.restarts++;
		await this.server.restartCheck();
	}

	async close(): Promise<void> {
		await this.server?.dispose();
		this.server = undefined;
	}
}
