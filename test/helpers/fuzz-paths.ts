/**
 * The fuzzed ingest paths, each as a fast-check property over batches of generated cases, run
 * against a real server (fuzz-server.ts) or, for the replay file, the TUI's real parser:
 *
 * - `http`:   POST /api/events and POST /emit, raw bytes on a TCP socket (single, array, NDJSON);
 * - `socket`: `claude_event` and `emit` from a socket.io-client with acks (through its encoder, or
 *             as a raw socket.io packet when the value is too deep for the encoder or asked so);
 * - `spool`:  lines in the forwarder's spool format appended to the spool file, then the drain;
 * - `replay`: a file given to `loadReplay` (source/tui/sources/replay.ts);
 * - `otlp`:   POST /v1/logs, /v1/metrics and /v1/traces with hostile OTLP JSON bodies (fuzz-otlp.ts).
 *
 * `runProperty` runs one of them with fc.check and turns a failure into an error that names the
 * path, the seed and the counterexample path needed to replay it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {io, type Socket} from 'socket.io-client';
import {loadReplay, playReplay, ReplayError} from '../../source/tui/sources/replay.js';
import {
	httpCase,
	replayLine,
	socketCase,
	spoolLine,
	type HttpCase,
	type Item,
	type SocketCase,
	type SpoolLine,
} from './fuzz-arbitraries.js';
import {
	clip,
	FORBIDDEN_RAW,
	freshMarker,
	skippedChecks,
	goodEventText,
	parseJson,
	ServerPool,
	type FuzzServer,
	type Seen,
} from './fuzz-server.js';
import {otlpCase, runOtlpCases} from './fuzz-otlp.js';
import {rawRequest, type RawAnswer} from './raw-request.js';

export const PATHS = ['http', 'socket', 'spool', 'replay', 'otlp'] as const;
export type PathName = (typeof PATHS)[number];

/** The most cases one run of a path sends (before RunOptions.batch): requests, messages, lines. */
export const MAX_BATCH: Record<PathName, number> = {http: 6, socket: 8, spool: 40, replay: 30, otlp: 6};

/** The body size limit (docs/protocol.md): bodies above it are refused with 413. */
const MAX_BODY = 1_048_576;
/** What the server reads and throws away of a refused body before it closes (body.ts DISCARD_BYTES). */
const DISCARD_BYTES = 64 * 1_048_576;
/** Socket.IO's message size limit on the server (docs/protocol.md). */
const MAX_SOCKET_MESSAGE = 1_000_000;

/** Counts for the figures, per path. */
export interface PathFigures {
	runs: number;
	/** Requests, socket messages, spool lines or replay lines sent. */
	cases: number;
	/** Events in them (array and NDJSON items count one each). */
	items: number;
	/** Events the server (or loadReplay) took. */
	accepted: number;
	/** Requests or messages refused as a whole, lines refused. */
	refused: number;
	/** Fresh servers started; restarts over the same state dir checked. */
	servers: number;
	restarts: number;
}

function newFigures(): PathFigures {
	return {runs: 0, cases: 0, items: 0, accepted: 0, refused: 0, servers: 0, restarts: 0};
}

/** An item as bytes; a good item gets a fresh marker, pushed to `markers`. */
function itemBytes(item: Item, markers: string[]): Buffer {
	if (item.kind === 'bytes') return item.bytes;
	if (item.kind === 'text') return Buffer.from(item.text, 'utf8');
	const marker = freshMarker();
	markers.push(marker);
	return Buffer.from(goodEventText(marker), 'utf8');
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/** A non-2xx answer must be JSON `{"error": "…"}` with a reason, and never a 5xx for what a client sent. */
function refusalProblem(answer: RawAnswer): string | null {
	const body = parseJson(answer.body);
	if (typeof body?.error !== 'string' || body.error.trim() === '')
		return `answered ${answer.status} without a JSON {"error": "…"} body: ${clip(answer.body.toString('utf8'))}`;
	if (answer.status >= 500 && !skippedChecks.has('server-error'))
		return `answered ${answer.status} (a server error) to client input: ${clip(body.error)}`;
	return null;
}

/** A 2xx answer's body: accepted, duplicates and lastSeq as whole numbers. */
function acceptedCounts(body: any): {accepted: number; duplicates: number; lastSeq: number} | null {
	if (typeof body !== 'object' || body === null) return null;
	const {accepted, duplicates, lastSeq} = body;
	if (![accepted, duplicates, lastSeq].every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
	return {accepted, duplicates, lastSeq};
}

// ————— HTTP —————

export interface BuiltRequest {
	headers: Array<[string, string]>;
	body: Buffer;
	markers: string[];
	items: number;
	/** The request is framed well with valid headers: every good item in it must be accepted. */
	mustTakeGood: boolean;
}

export function buildRequest(c: HttpCase): BuiltRequest {
	const markers: string[] = [];
	const items = c.framing === 'single' ? c.items.slice(0, 1) : c.items;
	const parts = items.map((item) => itemBytes(item, markers));
	let body: Buffer;
	if (c.raw) body = c.raw;
	else if (c.framing === 'single') body = parts[0];
	else if (c.framing === 'array')
		body = Buffer.concat([
			Buffer.from('['),
			...parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(','), p])),
			Buffer.from(']'),
		]);
	else
		body = Buffer.concat(
			parts.flatMap((p, i) =>
				i === 0 ? [p] : [Buffer.from(c.framing === 'ndjson-crlf' ? '\r\n' : '\n'), p],
			),
		);
	if (c.bom) body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
	if (c.oversize)
		body = Buffer.concat([body, Buffer.alloc(MAX_BODY + 1 - Math.min(body.length, MAX_BODY), 0x20)]);
	const headers: Array<[string, string]> = [];
	if (c.contentType !== undefined) headers.push(['Content-Type', c.contentType]);
	let id = c.id;
	// A mixed batch gets a fresh id half of the time (then its items are `<id>`, `<id>:<i>`).
	if (c.mixed && markers.length % 2 === 1) id = freshMarker('mx');
	if (id !== undefined) headers.push(['X-Mpm-Id', id]);
	if (c.id2 !== undefined) headers.push(['X-Mpm-Id', c.id2]);
	if (c.received !== undefined) headers.push(['X-Mpm-Received', c.received]);
	const mustTakeGood = c.mixed && !c.raw && body.length <= MAX_BODY;
	return {headers, body, markers: c.raw ? [] : markers, items: c.raw ? 1 : items.length, mustTakeGood};
}

/** Sends each case, checks each answer, then verifies the server. */
export async function runHttpCases(
	server: FuzzServer,
	cases: HttpCase[],
	figures: PathFigures,
): Promise<void> {
	for (const [n, c] of cases.entries()) {
		const built = buildRequest(c);
		const what = `case ${n} (${c.path}, ${c.framing}${c.mixed ? ', mixed' : ''})`;
		figures.cases++;
		figures.items += built.items;
		let answer: RawAnswer;
		try {
			answer = await rawRequest({
				port: server.port,
				method: 'POST',
				path: c.path,
				headers: built.headers,
				body: built.body,
				// A body past the limit is read to its end before the 413 (body.ts discardRest): on a busy
				// machine sending megabytes can take longer than the usual 10 s; the server's request
				// timeout is 30 s.
				...(built.body.length > MAX_BODY ? {timeoutMs: 35_000} : {}),
			});
		} catch (error) {
			const death = await server.deathNote();
			// Past what the server reads of a refused body (the limit, then 64 MiB thrown away: body.ts)
			// it answers and closes while the sender still writes, and the reset may cost the sender the
			// answer (docs/protocol.md, 413). Allowed there only, and the server must stay up.
			if (built.body.length > MAX_BODY + DISCARD_BYTES && death === '') {
				figures.refused++;
				continue;
			}
			server.dirty = true;
			throw new Error(`${what}: no answer (${(error as Error).message})${death}`);
		}
		if (answer.status >= 200 && answer.status < 300) {
			const counts = acceptedCounts(parseJson(answer.body));
			if (answer.status !== 202 || !counts)
				throw new Error(
					`${what}: answered ${answer.status} with ${clip(answer.body.toString('utf8'))}, expected 202 {accepted, duplicates, lastSeq}`,
				);
			if (counts.accepted + counts.duplicates < 1)
				throw new Error(
					`${what}: answered 202 with nothing accepted and no duplicate: ${clip(answer.body.toString('utf8'))}`,
				);
			server.expectAccepted(counts.accepted, counts.lastSeq, what);
			figures.accepted += counts.accepted;
			const noId = !built.headers.some(([name]) => name === 'X-Mpm-Id');
			if (built.mustTakeGood || noId)
				for (const marker of built.markers) server.expectDelivered(marker, `${what}, answered 202`);
		} else {
			figures.refused++;
			const problem = refusalProblem(answer);
			if (problem) throw new Error(`${what}: ${problem}`);
			if (built.mustTakeGood)
				throw new Error(
					`${what}: a well-framed batch with ${built.markers.length} good event(s) was refused as a whole: ${answer.status} ${clip(answer.body.toString('utf8'))}`,
				);
		}
	}
	await server.verify();
}

// ————— Socket.IO —————

const senders = new WeakMap<FuzzServer, Socket>();
let ackCounter = 1_000_000;

/** A socket.io-client connected as a claude-mpm client (so claude-mpm's per-event shape is made too). */
async function senderFor(server: FuzzServer): Promise<Socket> {
	const existing = senders.get(server);
	if (existing?.connected) return existing;
	existing?.close();
	const socket = io(server.url, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		timeout: 5000,
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', (error) =>
			reject(new Error(`the sender socket could not connect: ${error.message}`)),
		);
	});
	senders.set(server, socket);
	return socket;
}

export function closeSender(server: FuzzServer): void {
	senders.get(server)?.close();
	senders.delete(server);
}

/** Sends a raw socket.io EVENT packet with an ack id over the client's engine; resolves with the ack's first argument. */
function rawEmitWithAck(
	socket: Socket,
	event: string,
	jsonText: string,
	timeoutMs: number,
): Promise<unknown> {
	const id = ++ackCounter;
	const engine = socket.io.engine;
	return new Promise((resolve, reject) => {
		// engine.io frames a message itself ("4" + data): the data is socket.io's packet, ACK = type 3.
		const prefix = `3${id}[`;
		const onMessage = (data: unknown) => {
			if (typeof data !== 'string' || !data.startsWith(prefix)) return;
			cleanup();
			const args = JSON.parse(data.slice(prefix.length - 1)) as unknown[];
			resolve(args[0]);
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`no ack within ${timeoutMs} ms`));
		}, timeoutMs);
		const onClose = () => {
			cleanup();
			reject(new Error('the connection closed before the ack'));
		};
		const cleanup = () => {
			clearTimeout(timer);
			engine.off('message', onMessage);
			engine.off('close', onClose);
		};
		engine.on('message', onMessage);
		engine.on('close', onClose);
		engine.write(`2${id}[${JSON.stringify(event)},${jsonText}]`);
	});
}

/** Rejects when the socket disconnects. */
function disconnected(socket: Socket): Promise<never> {
	return new Promise((_, reject) => {
		if (!socket.connected) reject(new Error('the connection closed before the ack'));
		socket.once('disconnect', (reason) =>
			reject(new Error(`the connection closed before the ack (${reason})`)),
		);
	});
}

/** protocol.md: an event over Socket.IO holding binary data is refused with these words. */
const BINARY_REFUSAL =
	'binary data (a Buffer, ArrayBuffer or typed array) is not accepted: events are JSON; send bytes as a string (base64, say)';

function ackProblem(ack: unknown): string | null {
	const counts = acceptedCounts(ack);
	if (!counts)
		return `the ack is not {accepted, duplicates, lastSeq, …}: ${clip(JSON.stringify(ack) ?? String(ack))}`;
	const body = ack as {error?: unknown; rejected?: unknown};
	if (
		counts.accepted === 0 &&
		counts.duplicates === 0 &&
		(typeof body.error !== 'string' || body.error === '') &&
		!(Array.isArray(body.rejected) && body.rejected.length > 0)
	) {
		return `the ack took nothing and gives no reason: ${clip(JSON.stringify(ack))}`;
	}
	return null;
}

export async function runSocketCases(
	server: FuzzServer,
	cases: SocketCase[],
	figures: PathFigures,
): Promise<void> {
	for (const [n, c] of cases.entries()) {
		const markers: string[] = [];
		const text = itemBytes(c.item, markers).toString('utf8');
		const jsonText = isJson(text) ? text : JSON.stringify(text);
		const what = `case ${n} (${c.event}${c.raw ? ', raw packet' : ''}${c.binary ? ', with a binary attachment' : ''})`;
		figures.cases++;
		figures.items++;
		const socket = await senderFor(server);
		let ack: unknown;
		let size = Buffer.byteLength(jsonText);
		// A binary attachment went with the event: it must be refused whole (protocol.md, Socket.IO).
		let attached = false;
		try {
			let sent = false;
			if (!c.raw) {
				const value = JSON.parse(jsonText) as unknown;
				if (c.binary && typeof value === 'object' && value !== null && !Array.isArray(value)) {
					(value as Record<string, unknown>).blob = Buffer.from([0, 1, 2, 0xff]);
					attached = true;
				}
				try {
					// A closed connection fails at once rather than at the ack timeout.
					ack = await Promise.race([socket.timeout(8000).emitWithAck(c.event, value), disconnected(socket)]);
					sent = true;
				} catch (error) {
					// The client's encoder could not take it (too deep for its recursion): send it raw.
					if (!(error instanceof RangeError)) throw error;
					attached = false;
				}
			}
			if (!sent) {
				size = Buffer.byteLength(jsonText) + 32;
				ack = await rawEmitWithAck(socket, c.event, jsonText, 8000);
			}
		} catch (error) {
			if (size > MAX_SOCKET_MESSAGE && server.alive()) {
				// Over Socket.IO's message limit the server drops the connection: by design.
				figures.refused++;
				closeSender(server);
				continue;
			}
			server.dirty = true;
			const died = await server.deathNote();
			throw new Error(
				`${what}: ${(error as Error).message}${died || (socket.connected ? '' : ' (the server closed the sender socket)')}`,
			);
		}
		const problem = ackProblem(ack);
		if (problem) throw new Error(`${what}: ${problem}`);
		const counts = acceptedCounts(ack)!;
		if (attached && (counts.accepted !== 0 || (ack as {error?: unknown}).error !== BINARY_REFUSAL))
			throw new Error(`${what}: not refused as binary data: ${clip(JSON.stringify(ack))}`);
		server.expectAccepted(counts.accepted, counts.lastSeq, what);
		figures.accepted += counts.accepted;
		if (counts.accepted === 0) figures.refused++;
		if (!attached) for (const marker of markers) server.expectDelivered(marker, `${what}, a good event`);
	}
	await server.verify();
}

// ————— Spool —————

const ID_RULE = /^[A-Za-z0-9._:-]{1,128}$/;

interface BuiltSpool {
	bytes: Buffer;
	/** Good lines: marker → spool id (must be delivered once, under that id, as source spool). */
	good: Map<string, string>;
	/** Entries carrying a good event: marker → the id text of the line (stored at most once; never under an id that breaks the rule). */
	entries: Map<string, unknown>;
	/** Good events with invalid UTF-8 in a string: never stored (HTTP refuses them with 400). */
	invalid: Set<string>;
}

export function buildSpool(lines: SpoolLine[]): BuiltSpool {
	const good = new Map<string, string>();
	const entries = new Map<string, unknown>();
	const invalid = new Set<string>();
	const out: Buffer[] = [];
	for (const line of lines) {
		if (line.kind === 'bad-utf8') {
			const marker = freshMarker('badutf8');
			invalid.add(marker);
			const [head, tail] =
				`{"mpm_spool":1,"id":${JSON.stringify(freshMarker('spb'))},"receivedAt":${Date.now()},"event":${goodEventText(marker)}}`.split(
					'echo ',
				);
			out.push(Buffer.concat([Buffer.from(`${head}echo `), Buffer.from(line.bytes), Buffer.from(tail)]));
		} else if (line.kind === 'good') {
			const marker = freshMarker('spool');
			const id = freshMarker('spg');
			good.set(marker, id);
			out.push(
				Buffer.from(
					`{"mpm_spool":1,"id":${JSON.stringify(id)},"receivedAt":${Date.now()},"event":${goodEventText(marker)}}`,
				),
			);
		} else if (line.kind === 'entry') {
			const markers: string[] = [];
			const event = itemBytes(line.event, markers);
			const head = `{"mpm_spool":${line.mpmSpool}${line.id === undefined ? '' : `,"id":${line.id}`}${line.receivedAt === undefined ? '' : `,"receivedAt":${line.receivedAt}`},"event":`;
			out.push(Buffer.concat([Buffer.from(head), event, Buffer.from('}')]));
			for (const marker of markers)
				entries.set(marker, line.id === undefined ? undefined : parseJson(Buffer.from(line.id)));
		} else if (line.kind === 'text') out.push(Buffer.from(line.text));
		else out.push(line.bytes);
	}
	return {bytes: Buffer.concat(out.flatMap((b) => [b, Buffer.from('\n')])), good, entries, invalid};
}

/** The spool and the files a drain takes it into (`<spool>.draining-<pid>.<n>`, docs/ARCHITECTURE.md): while any is there, the drain is not done. */
function spoolLeft(server: FuzzServer): string[] {
	const dir = path.dirname(server.spoolPath);
	const base = path.basename(server.spoolPath);
	return fs
		.readdirSync(dir)
		.filter(
			(name) =>
				name === base ||
				(name.startsWith(`${base}.draining-`) &&
					/^\d+\.\d+$/.test(name.slice(base.length + '.draining-'.length))),
		);
}

export async function runSpoolLines(
	server: FuzzServer,
	lines: SpoolLine[],
	figures: PathFigures,
): Promise<void> {
	const built = buildSpool(lines);
	figures.cases += lines.length;
	figures.items += lines.length;
	// One append, as the forwarder writes a line.
	fs.appendFileSync(server.spoolPath, built.bytes);
	// Liveness only: a few MB of spool on a machine busy with the other paths can take a while.
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (!server.alive()) {
			server.dirty = true;
			throw new Error(`the server died while draining the spool${await server.deathNote()}`);
		}
		const left = spoolLeft(server);
		if (left.length === 0) break;
		if (Date.now() > deadline) {
			server.dirty = true;
			throw new Error(
				`the spool (${built.bytes.length} bytes) was not drained within 30 s: ${left.join(', ')} still there; stderr: ${server.stderrTail()}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	for (const [marker] of built.good) server.expectDelivered(marker, 'a good spool line');
	for (const [marker] of built.entries) server.expectAtMostOnce(marker, 'a spool entry with a good event');
	await server.verify({
		consecutiveOnly: true,
		inspect: (records) => {
			const problems: string[] = [];
			const byMarker = new Map<string, Seen>();
			for (const seen of records.values()) if (seen.toolUseId) byMarker.set(seen.toolUseId, seen);
			for (const [marker, id] of built.good) {
				const seen = byMarker.get(marker);
				if (seen && (seen.id !== id || seen.source !== 'spool'))
					problems.push(
						`a good spool line (id ${id}) was stored with id ${clip(seen.id)} and source ${clip(seen.source)}`,
					);
			}
			for (const marker of built.invalid)
				if (byMarker.has(marker))
					problems.push(
						'a spool line with invalid UTF-8 in it was stored (HTTP refuses such a body with 400)',
					);
			for (const [marker, id] of built.entries) {
				const seen = byMarker.get(marker);
				if (seen && typeof id === 'string' && !ID_RULE.test(id) && seen.id === id)
					problems.push(
						`a spool line whose id ${clip(id)} breaks the X-Mpm-Id rule was stored under that id`,
					);
			}
			figures.accepted += records.size - 1;
			return problems;
		},
	});
}

// ————— Replay —————

/** Writes the lines to a file and checks what loadReplay (and playing it) makes of them. */
export async function runReplayLines(lines: Item[], figures: PathFigures, crlf: boolean): Promise<void> {
	const markers: string[] = [];
	const parts = lines.map((line) => itemBytes(line, markers));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-fuzz-replay-'));
	const file = path.join(dir, 'replay.ndjson');
	fs.writeFileSync(file, Buffer.concat(parts.flatMap((p) => [p, Buffer.from(crlf ? '\r\n' : '\n')])));
	figures.cases += lines.length;
	figures.items += lines.length;
	try {
		let loaded: Awaited<ReturnType<typeof loadReplay>>;
		try {
			loaded = await loadReplay(file);
		} catch (error) {
			if (!(error instanceof ReplayError))
				throw new Error(
					`loadReplay threw ${(error as Error)?.name}: ${clip((error as Error)?.message ?? String(error))} (the TUI would crash)`,
				);
			if (markers.length > 0)
				throw new Error(
					`loadReplay refused a file with ${markers.length} good line(s): ${clip(error.message)}`,
				);
			if (error.message.trim() === '') throw new Error('loadReplay refused the file without a reason');
			figures.refused += lines.length;
			return;
		}
		const nonBlank = parts.filter((p) => p.toString('utf8').trim() !== '').length;
		if (loaded.records.length + loaded.bad !== nonBlank)
			throw new Error(
				`loadReplay read ${loaded.records.length} event(s) and ${loaded.bad} bad line(s) from ${nonBlank} non-blank line(s)`,
			);
		figures.accepted += loaded.records.length;
		figures.refused += loaded.bad;
		const problems: string[] = [];
		const found = new Map<string, number>();
		for (const [i, record] of loaded.records.entries()) {
			if (!Number.isSafeInteger(record.seq) || record.seq < 1)
				problems.push(`record ${i}: seq ${clip(String(record.seq))} is not a whole number ≥ 1`);
			if (typeof record.id !== 'string' || record.id === '')
				problems.push(`record ${i}: id is not a non-empty string`);
			if (typeof record.time !== 'string' || !Number.isFinite(Date.parse(record.time)))
				problems.push(`record ${i}: time ${clip(String(record.time))} is not a date`);
			if (typeof record.type !== 'string' || record.type === '')
				problems.push(`record ${i}: type is not a non-empty string`);
			if (typeof record.summary !== 'string') problems.push(`record ${i}: summary is not a string`);
			if (typeof record.payload !== 'object' || record.payload === null)
				problems.push(`record ${i}: payload is not an object`);
			if (typeof record.toolUseId === 'string')
				found.set(record.toolUseId, (found.get(record.toolUseId) ?? 0) + 1);
		}
		for (const marker of markers)
			if (found.get(marker) !== 1)
				problems.push(
					`a good line (tool_use_id ${marker}) was loaded ${found.get(marker) ?? 0} times, expected once`,
				);
		for (const error of loaded.firstErrors)
			if (FORBIDDEN_RAW.test(error))
				problems.push(`a bad-line reason (shown in the TUI) holds a raw C1/bidi character: ${clip(error)}`);
		if (problems.length > 0) throw new Error(problems.slice(0, 10).join('\n'));
		// Playing it (fast) must get through every record without throwing.
		await new Promise<void>((resolve, reject) => {
			let played = 0;
			const timer = setTimeout(
				() => reject(new Error(`playReplay stopped after ${played} of ${loaded.records.length} records`)),
				10_000,
			);
			try {
				playReplay(
					loaded.records,
					1e9,
					(batch) => {
						played += batch.length;
					},
					() => {
						clearTimeout(timer);
						if (played === loaded.records.length) resolve();
						else reject(new Error(`playReplay played ${played} of ${loaded.records.length} records`));
					},
				);
			} catch (error) {
				clearTimeout(timer);
				reject(error);
			}
		});
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

// ————— Properties —————

export interface PathRun {
	property: fc.IAsyncPropertyWithHooks<any>;
	figures: PathFigures;
	close(): Promise<void>;
}

/**
 * The property for one path. `restartEvery`: restart the server over its own state dir every so
 * many runs (checks the journal read-back); `freshEvery`: start a fresh server every so many runs
 * (bounds the journal and the history of a long run).
 */
export function pathProperty(
	name: PathName,
	options: {restartEvery?: number; freshEvery?: number; batch?: number} = {},
): PathRun {
	const batch = (max: number) => Math.max(1, Math.round(max * (options.batch ?? 1)));
	const figures = newFigures();
	const pool = new ServerPool(options);
	const guarded = async (body: (server: FuzzServer) => Promise<void>) => {
		figures.runs++;
		const server = await pool.get();
		try {
			await body(server);
			await pool.afterRun();
		} catch (error) {
			server.dirty = true;
			throw error;
		}
	};
	let property: fc.IAsyncPropertyWithHooks<any>;
	switch (name) {
		case 'http':
			property = fc.asyncProperty(
				fc.array(httpCase, {minLength: 1, maxLength: batch(MAX_BATCH.http)}),
				(cases) => guarded((server) => runHttpCases(server, cases, figures)),
			);
			break;
		case 'socket':
			property = fc.asyncProperty(
				fc.array(socketCase, {minLength: 1, maxLength: batch(MAX_BATCH.socket)}),
				(cases) => guarded((server) => runSocketCases(server, cases, figures)),
			);
			break;
		case 'spool':
			property = fc.asyncProperty(
				fc.array(spoolLine, {minLength: 1, maxLength: batch(MAX_BATCH.spool)}),
				(lines) => guarded((server) => runSpoolLines(server, lines, figures)),
			);
			break;
		case 'otlp':
			property = fc.asyncProperty(
				fc.array(otlpCase, {minLength: 1, maxLength: batch(MAX_BATCH.otlp)}),
				(cases) => guarded((server) => runOtlpCases(server, cases, figures)),
			);
			break;
		case 'replay':
			property = fc.asyncProperty(
				fc.array(replayLine, {minLength: 1, maxLength: batch(MAX_BATCH.replay)}),
				fc.boolean(),
				async (lines, crlf) => {
					figures.runs++;
					await runReplayLines(lines, figures, crlf);
				},
			);
			break;
	}
	return {
		property,
		figures,
		close: async () => {
			await pool.close();
			figures.servers = pool.counts.servers;
			figures.restarts = pool.counts.restarts;
		},
	};
}

/** Renders a counterexample compactly: long strings and byte runs are cut. */
export function renderCounterexample(value: unknown): string {
	const text = JSON.stringify(
		value,
		(_key, v: unknown) => {
			if (typeof v === 'string') return v.length > 160 ? `${v.slice(0, 160)}…(+${v.length - 160} chars)` : v;
			if (
				v &&
				typeof v === 'object' &&
				(v as {type?: unknown}).type === 'Buffer' &&
				Array.isArray((v as {data?: unknown}).data)
			) {
				const data = (v as {data: number[]}).data;
				const shown = data
					.slice(0, 200)
					.map((b) =>
						b >= 0x20 && b < 0x7f && b !== 0x5c
							? String.fromCharCode(b)
							: `\\x${b.toString(16).padStart(2, '0')}`,
					)
					.join('');
				return `<bytes ${shown}${data.length > 200 ? `…(+${data.length - 200} bytes)` : ''}>`;
			}
			return v;
		},
		1,
	);
	return text.length > 6000 ? `${text.slice(0, 6000)}…(+${text.length - 6000} chars)` : text;
}

export interface RunOptions {
	numRuns: number;
	seed?: number;
	path?: string;
	/** Stop (and report what was found so far) after this long. */
	timeLimitMs?: number;
	/** Report the first failure without shrinking. */
	noShrink?: boolean;
	restartEvery?: number;
	freshEvery?: number;
	/** Multiplies the most cases in one run (the batch checked at once). */
	batch?: number;
	/** The command that replays a failure (it must use the same batch size). */
	reproduce?: (seed: number, path: string) => string;
}

export interface RunReport {
	name: PathName;
	seed: number;
	failed: boolean;
	interrupted: boolean;
	numRuns: number;
	numShrinks: number;
	figures: PathFigures;
	ms: number;
	/** The failure, with everything needed to replay it. */
	message?: string;
}

const defaultReproduce = (name: PathName) => (seed: number, path: string) =>
	`FUZZ_ONLY=${name} FUZZ_SEED=${seed} FUZZ_PATH='${path}' node --import tsx --test test/fuzz-ingest.test.ts`;

/** Runs one path's property with fc.check; never throws for a property failure (see RunReport.message). */
export async function runPath(name: PathName, options: RunOptions): Promise<RunReport> {
	const run = pathProperty(name, {
		restartEvery: options.restartEvery,
		freshEvery: options.freshEvery,
		batch: options.batch,
	});
	const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
	const started = Date.now();
	let details: fc.RunDetails<unknown>;
	try {
		details = await fc.check(run.property, {
			numRuns: options.numRuns,
			seed,
			path: options.path,
			endOnFailure: options.noShrink,
			plugins: options.timeLimitMs ? [fc.interruptAfterTimeLimit(options.timeLimitMs)] : [],
		});
	} finally {
		await run.close();
	}
	const report: RunReport = {
		name,
		seed,
		failed: details.failed,
		interrupted: details.interrupted,
		numRuns: details.numRuns,
		numShrinks: details.numShrinks,
		figures: run.figures,
		ms: Date.now() - started,
	};
	if (details.failed) {
		const error =
			details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
		report.message = [
			`fuzz path "${name}" failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s)${details.interrupted ? ' (shrinking cut short by the time limit)' : ''}`,
			// The error before the (long) counterexample, so a clipped log still says what failed.
			`error: ${error}`,
			`reproduce: ${(options.reproduce ?? defaultReproduce(name))(seed, details.counterexamplePath ?? '')}`,
			`counterexample: ${renderCounterexample(details.counterexample)}`,
		].join('\n');
	}
	return report;
}
