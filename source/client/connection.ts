/**
 * The mpm-tui Socket.IO client used by the TUI and `tail`. It identifies as mpm-tui, catches up
 * by `seq` on every (re)connect — `history` pages from the last seq it has seen until it is level
 * with the server, holding back live `events` meanwhile — and hands each record on exactly once,
 * in seq order. Reconnects with backoff (500 ms → 5 s, forever) and reports the attempt count.
 *
 * A claude-mpm monitor sends no `hello`; it emits bodies under its categories (`tool_event`,
 * `hook_event`, `session_event`, `claude_event`, `response_event`, …: core `MPM_CATEGORIES`)
 * instead. Those are normalized here (core `normalize`: the hook's own `hook_event_name` names the
 * event) and numbered locally, so the TUI can show a claude-mpm server's events too (no history:
 * claude-mpm has none to give).
 *
 * Whatever the server sends is checked before it is used (core/record-check): a malformed record
 * is skipped and reported through `onProblem`, a malformed answer ends the catch-up with a reason;
 * nothing a server sends can throw out of a socket handler.
 */
import {io, type Socket} from 'socket.io-client';
import {MPM_CATEGORIES} from '../core/claude-mpm.js';
import {checkRecord, isSeq} from '../core/record-check.js';
import type {EventRecord} from '../core/record.js';
import {showControlsInLine} from '../core/terminal-safe.js';
import {ellipsize} from '../core/text.js';
import type {
	ClientToServerEvents,
	ErrorAnswer,
	HelloInfo,
	HistoryAnswer,
	ServerStats,
	ServerToClientEvents,
} from '../core/wire.js';
import {isAuthRefusal} from './auth-refusal.js';
import {recordFromClaudeMpm} from './claude-mpm-body.js';

export type {HelloInfo, ServerStats} from '../core/wire.js';

export interface ConnectionState {
	status: 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';
	attempt: number;
	error?: string;
	server?: HelloInfo;
}

export interface ConnectionOptions {
	url: string;
	token?: string;
	/** Start after this seq (history first). Without it (and without historyLimit): live only. */
	since?: number;
	/** Without `since`: start with up to this many of the newest events. */
	historyLimit?: number;
}

export interface ConnectionHandlers {
	/** `history`: caught up with (at start or on a reconnect), not just arrived at the server. */
	onEvents(events: EventRecord[], history: boolean): void;
	onState(state: ConnectionState): void;
	onStatus?(status: ServerStats): void;
	/** Something the server sent was malformed and skipped (the connection goes on): one line saying what. */
	onProblem?(message: string): void;
}

export interface Connection {
	close(): void;
	lastSeq(): number;
}

const PAGE = 5000;
const ACK_TIMEOUT_MS = 10_000;
/** Without a `hello` this long after connecting, the server is taken to be claude-mpm. */
const HELLO_WAIT_MS = 1500;

/** The mpm-tui client's socket: what each side may send (core/wire.ts). */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The `history` ack as it arrives: the wire type's fields, each checked before use. */
type UncheckedHistoryAnswer = {[K in keyof (HistoryAnswer & ErrorAnswer)]?: unknown};

/** Text from the server for a log line or the screen: one line, no controls, at most 300 characters. */
export function serverText(text: unknown): string {
	return ellipsize(showControlsInLine(String(text)), 300);
}

/** The `hello` a server sent, when its `lastSeq` is usable; the other fields are filled when odd. */
function helloFrom(raw: unknown): HelloInfo | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const hello = raw as Record<string, unknown>;
	const whole = (value: unknown): value is number =>
		typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
	if (!whole(hello.lastSeq)) return null;
	return {
		service: 'mpm-tui',
		version: typeof hello.version === 'string' ? hello.version : '?',
		lastSeq: hello.lastSeq,
		firstSeq: whole(hello.firstSeq) ? hello.firstSeq : 0,
		serverTime: typeof hello.serverTime === 'string' ? hello.serverTime : '',
	};
}

/** The seq of something that may be a record (0 when it has none), for ordering. */
function seqOf(item: unknown): number {
	const seq = typeof item === 'object' && item !== null ? (item as {seq?: unknown}).seq : undefined;
	return isSeq(seq) ? seq : 0;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function openConnection(options: ConnectionOptions, handlers: ConnectionHandlers): Connection {
	let last: number | undefined = options.since;
	let catchingUp = true;
	/** Live `events` items that arrived during a catch-up, handed on after it (checked then). */
	let held: unknown[] = [];
	let attempt = 0;
	let closed = false;
	let server: HelloInfo | undefined;
	let generation = 0;
	let helloTimer: ReturnType<typeof setTimeout> | undefined;
	let mpmCounter = 0;

	const state = (status: ConnectionState['status'], error?: string) => {
		const s: ConnectionState = {status, attempt};
		if (error !== undefined) s.error = error;
		if (server) s.server = server;
		handlers.onState(s);
	};

	const socket: ClientSocket = io(options.url, {
		auth: options.token === undefined ? {client: 'mpm-tui'} : {client: 'mpm-tui', token: options.token},
		// The token on the handshake too (when it can be a header value): the server then lets this
		// client in however many bare handshakes are waiting.
		...(options.token !== undefined && /^[\x21-\x7e]+$/.test(options.token)
			? {extraHeaders: {Authorization: `Bearer ${options.token}`}}
			: {}),
		transports: ['websocket'],
		reconnection: true,
		reconnectionAttempts: Infinity,
		reconnectionDelay: 500,
		reconnectionDelayMax: 5000,
		randomizationFactor: 0.2,
		timeout: 5000,
	});

	const problem = (message: string) => handlers.onProblem?.(message);

	/**
	 * Hands on the records newer than `last`, in order, exactly once; skips (and reports) what is
	 * not a record, stepping past its seq when it has one. Returns false on a gap (live only).
	 * `history`: the items are a page of the server's history (not live `events`).
	 */
	const deliver = (items: readonly unknown[], history = false): boolean => {
		const fresh: EventRecord[] = [];
		let bad = 0;
		let firstError = '';
		let gap = false;
		for (const item of items) {
			const checked = checkRecord(item);
			const seq = checked.ok ? checked.record.seq : checked.seq;
			if (!checked.ok) {
				bad++;
				firstError ||= checked.error;
			}
			if (seq === null || (last !== undefined && seq <= last)) continue;
			if (last !== undefined && seq !== last + 1 && fresh.length === 0 && !catchingUp) {
				gap = true;
				break;
			}
			if (checked.ok) fresh.push(checked.record);
			last = seq;
		}
		if (bad > 0)
			problem(`skipped ${plural(bad, 'malformed record')} from the server (${serverText(firstError)})`);
		if (fresh.length > 0) handlers.onEvents(fresh, history);
		return !gap;
	};

	/**
	 * Hands on what arrived live during the catch-up. A gap there means the history stopped short:
	 * another catch-up fills it, unless this one brought nothing new (the server has nothing to
	 * fill it with, e.g. it left its buffer), then the gap is taken as it is.
	 */
	const finishCatchUp = (progressed: boolean) => {
		const pending = held.sort((a, b) => seqOf(a) - seqOf(b));
		held = [];
		catchingUp = !progressed;
		const whole = deliver(pending);
		catchingUp = false;
		if (!whole) void catchUp(generation);
		else state('connected');
	};

	const catchUp = async (gen: number): Promise<void> => {
		catchingUp = true;
		let progressed = false;
		while (!closed && gen === generation) {
			let answer: UncheckedHistoryAnswer;
			try {
				answer = (await socket
					.timeout(ACK_TIMEOUT_MS)
					.emitWithAck('history', {since: last ?? 0, limit: PAGE})) as UncheckedHistoryAnswer;
			} catch {
				if (gen !== generation || closed) return;
				state('reconnecting', 'the server did not answer a history request');
				socket.disconnect().connect();
				return;
			}
			if (gen !== generation || closed) return;
			if (
				typeof answer !== 'object' ||
				answer === null ||
				answer.error !== undefined ||
				!Array.isArray(answer.events)
			) {
				const why =
					typeof answer === 'object' && answer !== null && answer.error !== undefined
						? serverText(answer.error)
						: 'malformed answer';
				problem(`history: ${why}`);
				state('connected', `history: ${why}`);
				break;
			}
			// More than asked for is cut here and asked for again from the last seq taken.
			const cut = answer.events.length > PAGE;
			const events = cut ? answer.events.slice(0, PAGE) : answer.events;
			const before = last;
			deliver(events, true);
			if (last === before) break; // nothing new: level with the server (or it repeats itself)
			progressed = true;
			// A server that cuts pages by size says whether more follow; older ones send full pages until the end.
			if (answer.more === true || cut) continue;
			if (answer.more === false) break;
			const serverLast = isSeq(answer.lastSeq) ? answer.lastSeq : 0;
			if (events.length < PAGE || (last ?? 0) >= serverLast) break;
		}
		if (gen === generation && !closed) finishCatchUp(progressed);
	};

	socket.on('hello', (raw: unknown) => {
		if (helloTimer) clearTimeout(helloTimer);
		let hello = helloFrom(raw);
		if (hello === null) {
			problem(
				`the server sent a malformed hello (lastSeq is not a whole number ≥ 0); catching up after seq ${last ?? 0}`,
			);
			hello = {service: 'mpm-tui', version: '?', lastSeq: last ?? 0, firstSeq: 0, serverTime: ''};
		}
		server = hello;
		generation++;
		held = [];
		if (last === undefined) {
			last = options.historyLimit ? Math.max(0, hello.lastSeq - options.historyLimit) : hello.lastSeq;
		} else if (hello.lastSeq < last) {
			// A different server (or one restarted without its journal): its seqs start again.
			last = 0;
		}
		void catchUp(generation);
	});

	socket.on('events', (events: unknown) => {
		if (!Array.isArray(events)) {
			problem('the server sent events that are not a list; ignored');
			return;
		}
		if (catchingUp) {
			for (const event of events) held.push(event);
			return;
		}
		if (!deliver(events)) {
			for (const event of events) held.push(event);
			generation++;
			void catchUp(generation);
		}
	});

	socket.on('status', (status: unknown) => {
		if (typeof status === 'object' && status !== null && !Array.isArray(status))
			handlers.onStatus?.(status as ServerStats);
	});

	socket.on('connect', () => {
		attempt = 0;
		catchingUp = true;
		if (helloTimer) clearTimeout(helloTimer);
		helloTimer = setTimeout(() => {
			if (!closed && socket.connected && !server) {
				catchingUp = false;
				state('connected');
			}
		}, HELLO_WAIT_MS);
	});

	const fromClaudeMpm = (body: unknown) => {
		if (server || closed) return; // an mpm-tui server never sends these to a client that said it is mpm-tui
		const result = recordFromClaudeMpm(
			body,
			`mpm-${Date.now().toString(36)}-${(++mpmCounter).toString(36)}`,
			(last ?? 0) + 1,
		);
		if (!result.ok) {
			problem(`skipped an event from the claude-mpm server (${serverText(result.error)})`);
			return;
		}
		last = result.record.seq;
		handlers.onEvents([result.record], false);
	};
	for (const name of MPM_CATEGORIES) socket.on(name, fromClaudeMpm);

	socket.on('disconnect', (reason) => {
		if (closed) return;
		catchingUp = true;
		generation++;
		state('reconnecting', `disconnected (${serverText(reason)})`);
		// The server ended the session itself (e.g. shutting down): socket.io-client will not retry on its own.
		if (reason === 'io server disconnect') setTimeout(() => !closed && socket.connect(), 500).unref?.();
	});

	socket.on('connect_error', (error) => {
		if (closed) return;
		// The server's words (its middleware's refusal): shown to the user, so made safe first.
		const message = serverText(error?.message);
		if (isAuthRefusal(error)) {
			state('unauthorized', message);
			socket.disconnect();
			return;
		}
		if (!socket.active) {
			// Refused by the server's middleware (e.g. too many connections): try again later.
			state('reconnecting', message);
			setTimeout(() => !closed && socket.connect(), 5000).unref?.();
			return;
		}
		state(attempt === 0 && !server ? 'connecting' : 'reconnecting', message);
	});

	socket.io.on('reconnect_attempt', (n) => {
		attempt = n;
		state('reconnecting');
	});

	state('connecting');

	return {
		close() {
			if (closed) return;
			closed = true;
			generation++;
			if (helloTimer) clearTimeout(helloTimer);
			socket.removeAllListeners();
			socket.io.removeAllListeners();
			socket.disconnect();
			state('closed');
		},
		lastSeq: () => last ?? 0,
	};
}
