/**
 * The mpm-tui Socket.IO client used by the TUI and `tail`. It identifies as mpm-tui, catches up
 * by `seq` on every (re)connect — `history` pages from the last seq it has seen until it is level
 * with the server, holding back live `events` meanwhile — and hands each record on exactly once,
 * in seq order. Reconnects with backoff (500 ms → 5 s, forever) and reports the attempt count.
 *
 * A claude-mpm monitor sends no `hello`; it emits `tool_event`, `hook_event`, `session_event` and
 * `claude_event` bodies instead. Those are normalized here (core `normalize`) and numbered locally,
 * so the TUI can show a claude-mpm server's events too (no history: claude-mpm has none to give).
 */
import {io, type Socket} from 'socket.io-client';
import {normalize} from '../core/normalize.js';
import type {EventRecord} from '../core/record.js';
import type {HelloInfo, ServerStats} from '../core/wire.js';

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
	onEvents(events: EventRecord[]): void;
	onState(state: ConnectionState): void;
	onStatus?(status: ServerStats): void;
}

export interface Connection {
	close(): void;
	lastSeq(): number;
}

const PAGE = 5000;
const ACK_TIMEOUT_MS = 10_000;
/** Without a `hello` this long after connecting, the server is taken to be claude-mpm. */
const HELLO_WAIT_MS = 1500;
const CLAUDE_MPM_EVENTS = ['tool_event', 'hook_event', 'session_event', 'claude_event'] as const;

interface HistoryAnswer {
	events?: EventRecord[];
	lastSeq?: number;
	error?: string;
}

export function openConnection(options: ConnectionOptions, handlers: ConnectionHandlers): Connection {
	let last: number | undefined = options.since;
	let catchingUp = true;
	let held: EventRecord[] = [];
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

	const socket: Socket = io(options.url, {
		auth: options.token === undefined ? {client: 'mpm-tui'} : {client: 'mpm-tui', token: options.token},
		// The token on the handshake too (when it can be a header value): the server then lets this
		// client in however many bare handshakes are waiting.
		...(options.token !== undefined && /^[\x21-\x7e]+$/.test(options.token) ? {extraHeaders: {Authorization: `Bearer ${options.token}`}} : {}),
		transports: ['websocket'],
		reconnection: true,
		reconnectionAttempts: Infinity,
		reconnectionDelay: 500,
		reconnectionDelayMax: 5000,
		randomizationFactor: 0.2,
		timeout: 5000,
	});

	/** Hands on the records newer than `last`, in order, exactly once. Returns false on a gap. */
	const deliver = (events: EventRecord[]): boolean => {
		const fresh: EventRecord[] = [];
		for (const event of events) {
			if (last !== undefined && event.seq <= last) continue;
			if (last !== undefined && event.seq !== last + 1 && fresh.length === 0 && !catchingUp) return false;
			fresh.push(event);
			last = event.seq;
		}
		if (fresh.length > 0) handlers.onEvents(fresh);
		return true;
	};

	const finishCatchUp = () => {
		catchingUp = false;
		const pending = held.sort((a, b) => a.seq - b.seq);
		held = [];
		if (!deliver(pending)) void catchUp(generation);
		else state('connected');
	};

	const catchUp = async (gen: number): Promise<void> => {
		catchingUp = true;
		while (!closed && gen === generation) {
			let answer: HistoryAnswer;
			try {
				answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('history', {since: last ?? 0, limit: PAGE})) as HistoryAnswer;
			} catch {
				if (gen !== generation || closed) return;
				state('reconnecting', 'the server did not answer a history request');
				socket.disconnect().connect();
				return;
			}
			if (gen !== generation || closed) return;
			if (answer.error !== undefined || !Array.isArray(answer.events)) {
				state('connected', `history: ${answer.error ?? 'malformed answer'}`);
				break;
			}
			const events = answer.events;
			const before = last;
			deliver(events);
			const serverLast = typeof answer.lastSeq === 'number' ? answer.lastSeq : 0;
			if (events.length < PAGE || last === before || (last ?? 0) >= serverLast) break;
		}
		if (gen === generation && !closed) finishCatchUp();
	};

	socket.on('hello', (hello: HelloInfo) => {
		if (helloTimer) clearTimeout(helloTimer);
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

	socket.on('events', (events: EventRecord[]) => {
		if (!Array.isArray(events)) return;
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

	socket.on('status', (status: ServerStats) => handlers.onStatus?.(status));

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
		const stamp = (body as {timestamp?: unknown} | null)?.timestamp;
		const receivedAt = typeof stamp === 'string' && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp).toISOString() : new Date().toISOString();
		const result = normalize(body, {id: `mpm-${Date.now().toString(36)}-${(++mpmCounter).toString(36)}`, receivedAt, source: 'mpm'});
		if (!result.ok) return;
		last = (last ?? 0) + 1;
		handlers.onEvents([{seq: last, ...result.record}]);
	};
	for (const name of CLAUDE_MPM_EVENTS) socket.on(name, fromClaudeMpm);

	socket.on('disconnect', reason => {
		if (closed) return;
		catchingUp = true;
		generation++;
		state('reconnecting', `disconnected (${reason})`);
		// The server ended the session itself (e.g. shutting down): socket.io-client will not retry on its own.
		if (reason === 'io server disconnect') setTimeout(() => !closed && socket.connect(), 500).unref?.();
	});

	socket.on('connect_error', error => {
		if (closed) return;
		if (/token/i.test(error.message)) {
			state('unauthorized', error.message);
			socket.disconnect();
			return;
		}
		if (!socket.active) {
			// Refused by the server's middleware (e.g. too many connections): try again later.
			state('reconnecting', error.message);
			setTimeout(() => !closed && socket.connect(), 5000).unref?.();
			return;
		}
		state(attempt === 0 && !server ? 'connecting' : 'reconnecting', error.message);
	});

	socket.io.on('reconnect_attempt', n => {
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
