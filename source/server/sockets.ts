/**
 * Socket.IO on the HTTP server's port: the guard on every Engine.IO request (Origin, Host; at a
 * handshake, a place to wait for the namespace connect), admission at the namespace connect
 * (token, connection limit: socket-admission.ts), client identification (`auth.client ===
 * 'mpm-tui'` → `hello` + batched `events`; anything else → claude-mpm's event shape), `history`
 * and `usage` with an ack, and ingest through the `claude_event` and `emit` events.
 */
import type {Server as HttpServer} from 'node:http';
import {Server, type Socket} from 'socket.io';
import type {Config} from '../config.js';
import type {EventRecord} from '../core/record.js';
import {
	USAGE_REQUEST,
	type ClientToServerEvents,
	type ConnectRefusalData,
	type ErrorAnswer,
	type HeartbeatBody,
	type HistoryAck,
	type HistoryAnswer,
	type IngestAck,
	type IngestAnswer,
	type ServerStats,
	type ServerToClientEvents,
	type UsageAck,
	type UsageAnswer,
} from '../core/wire.js';
import {CATEGORY_NAMESPACES, CLAUDE_MPM_ROOM, MPM_TUI_ROOM} from './broadcast.js';
import {MAX_BODY_BYTES} from './body.js';
import {isAllowedOrigin} from './security.js';
import type {ServerGuard} from './server-guard.js';
import type {AdmissionRefusal, EngineConnection} from './socket-admission.js';
import type {Page} from './history.js';
import type {HelloInfo, IngestResult} from './types.js';

/** The Socket.IO server as mpm-tui types it: what each side may send (core/wire.ts). */
export type SocketServer = Server<ClientToServerEvents, ServerToClientEvents>;
type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export const HISTORY_LIMIT_MAX = 5000;
export const HISTORY_LIMIT_DEFAULT = 1000;

export interface SocketDeps {
	hello(): HelloInfo;
	/** A bounded page of history (see History.page). */
	history(since: number, limit: number): Page & {lastSeq: number};
	ingest(value: unknown, source: string): IngestResult;
	status(): ServerStats;
	/** The `usage` request's answer: per-session usage totals (usage-state.ts). */
	usage?(): UsageAnswer;
	log(line: string): void;
}

function historyAnswer(page: Page & {lastSeq: number}): HistoryAnswer {
	const events = page.records ?? page.lines.map((line) => JSON.parse(line.toString('utf8')) as EventRecord);
	return {events, lastSeq: page.lastSeq, next: page.next, more: page.more};
}

/** A refused connect as socket.io sends it: `message` and `data` both reach the client's `connect_error`. */
function refusalError(refusal: AdmissionRefusal): Error & {data: ConnectRefusalData} {
	return Object.assign(new Error(refusal.message), {data: {code: refusal.code}});
}

/** An ack as a client may send it: a function when it asked for an answer, else anything or nothing. */
const isAck = (ack: unknown): ack is (answer: never) => void => typeof ack === 'function';

function parseHistoryArgs(
	args: unknown,
): {ok: true; since: number; limit: number} | {ok: false; error: string} {
	// No argument is the default page; anything but a plain object is a mistake, answered as one.
	if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
		return {ok: false, error: 'history takes an object {since, limit} (both optional)'};
	const a = (args ?? {}) as {since?: unknown; limit?: unknown};
	const since = a.since ?? 0;
	const limit = a.limit ?? HISTORY_LIMIT_DEFAULT;
	if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)
		return {ok: false, error: 'since must be a whole number ≥ 0'};
	if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
		return {ok: false, error: 'limit must be a whole number ≥ 1'};
	return {ok: true, since, limit: Math.min(limit, HISTORY_LIMIT_MAX)};
}

function publicResult(result: IngestResult): IngestAnswer {
	const {records: _records, ...rest} = result;
	return rest;
}

export function createSocketServer(
	httpServer: HttpServer,
	config: Config,
	deps: SocketDeps,
	serverGuard: ServerGuard,
): SocketServer {
	const io: SocketServer = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
		serveClient: false,
		maxHttpBufferSize: MAX_BODY_BYTES,
		pingInterval: config.pingInterval,
		pingTimeout: config.pingTimeout,
		cors: {
			origin: (origin, callback) => callback(null, isAllowedOrigin(origin)),
			credentials: true,
		},
	});
	io.engine.use(serverGuard.engineMiddleware());
	io.engine.on('connection', (conn: EngineConnection) => serverGuard.admission.track(conn));

	const guard = (socket: ServerSocket, next: (error?: Error) => void) => {
		const refusal = serverGuard.admission.admit(
			socket.conn,
			(socket.handshake.auth as {token?: unknown}).token,
		);
		next(refusal === null ? undefined : refusalError(refusal));
	};

	/** A handler that fails answers its ack with a generic error and logs the details; it never throws into socket.io. */
	const guarded =
		<A extends unknown[]>(what: string, handler: (...args: A) => void) =>
		(...args: A) => {
			try {
				handler(...args);
			} catch (error) {
				deps.log(
					`internal error in Socket.IO ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
				const ack = args.at(-1);
				const answer: ErrorAnswer = {error: 'internal server error (details are in the server log)'};
				if (isAck(ack)) (ack as (answer: ErrorAnswer) => void)(answer);
			}
		};

	const ingestHandler = (source: string) =>
		guarded('ingest', (value: unknown, ack?: unknown) => {
			const result = deps.ingest(value, source);
			if (isAck(ack)) (ack as IngestAck)(publicResult(result));
		});

	io.use(guard);
	io.on('connection', (socket) => {
		const auth = socket.handshake.auth as {client?: unknown};
		if (auth.client === 'mpm-tui') {
			void socket.join(MPM_TUI_ROOM);
			socket.emit('hello', deps.hello());
		} else {
			void socket.join(CLAUDE_MPM_ROOM);
		}
		socket.on(
			'history',
			guarded('history', (...received: unknown[]) => {
				// The ack is the last argument: `history(ack)` asks with no argument.
				const ack = received.at(-1);
				if (!isAck(ack)) return;
				const parsed = parseHistoryArgs(received.length > 1 ? received[0] : undefined);
				(ack as HistoryAck)(
					parsed.ok ? historyAnswer(deps.history(parsed.since, parsed.limit)) : {error: parsed.error},
				);
			}),
		);
		socket.on(
			USAGE_REQUEST,
			guarded('usage', (...args: unknown[]) => {
				const ack = args.at(-1);
				if (!isAck(ack)) return;
				(ack as UsageAck)(deps.usage ? deps.usage() : {error: 'this server keeps no usage'});
			}),
		);
		socket.on('claude_event', ingestHandler('socket'));
		socket.on('emit', ingestHandler('socket'));
	});

	for (const name of CATEGORY_NAMESPACES) {
		const nsp = io.of(name);
		nsp.use(guard);
		if (name === '/system') {
			nsp.on('connection', (socket) => {
				socket.on(
					'get_status',
					guarded('get_status', () => socket.emit('status', deps.status())),
				);
			});
		}
	}
	return io;
}

/** claude-mpm's heartbeat: on `/system` as `heartbeat`, and as `system.heartbeat` to claude-mpm clients; `clients` = admitted connections. */
export function sendHeartbeat(io: SocketServer, nowIso: string, clients: number): void {
	const body: HeartbeatBody = {type: 'system.heartbeat', data: {clients}, timestamp: nowIso};
	io.of('/system').local.emit('heartbeat', body);
	io.local.to(CLAUDE_MPM_ROOM).emit('system.heartbeat', body);
}
