/**
 * The mpm-tui Socket.IO client used by the TUI and `tail`: opens the socket (client-socket.ts),
 * catches up by `seq` on every (re)connect (server-hello.ts, history-catch-up.ts), hands each
 * record on exactly once, in seq order (seq-delivery.ts), reconnects and reports its state
 * (reconnect.ts, connection-status.ts), and takes a claude-mpm server's events too
 * (claude-mpm-events.ts).
 *
 * Whatever the server sends is checked before it is used (core/record-check): a malformed record
 * is skipped and reported through `onProblem`, a malformed answer ends the catch-up with a reason;
 * nothing a server sends can throw out of a socket handler.
 */
import type {EventRecord} from '../core/record.js';
import type {ServerStats} from '../core/wire.js';
import {handleClaudeMpmEvents} from './claude-mpm-events.js';
import {openClientSocket} from './client-socket.js';
import {ConnectionStatus, type ConnectionState} from './connection-status.js';
import {HistoryCatchUp} from './history-catch-up.js';
import {handleReconnects} from './reconnect.js';
import {SeqDelivery} from './seq-delivery.js';
import {handleHello} from './server-hello.js';

export type {HelloInfo, ServerStats} from '../core/wire.js';
export type {ClientSocket} from './client-socket.js';
export type {ConnectionState} from './connection-status.js';
export {serverText} from './server-text.js';

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

export function openConnection(options: ConnectionOptions, handlers: ConnectionHandlers): Connection {
	let closed = false;
	const isClosed = () => closed;
	const problem = (message: string) => handlers.onProblem?.(message);
	const status = new ConnectionStatus((state) => handlers.onState(state));
	const delivery = new SeqDelivery(options.since, {
		onEvents: (events, history) => handlers.onEvents(events, history),
		problem,
	});
	const socket = openClientSocket(options.url, options.token);
	const catchUp = new HistoryCatchUp({socket, delivery, status, problem, isClosed});
	const hello = handleHello({
		socket,
		status,
		delivery,
		catchUp,
		historyLimit: options.historyLimit,
		problem,
		isClosed,
	});

	socket.on('events', (events: unknown) => {
		if (!Array.isArray(events)) {
			problem('the server sent events that are not a list; ignored');
			return;
		}
		catchUp.live(events);
	});

	socket.on('status', (stats: unknown) => {
		if (typeof stats === 'object' && stats !== null && !Array.isArray(stats))
			handlers.onStatus?.(stats as ServerStats);
	});

	handleClaudeMpmEvents({socket, status, delivery, problem, isClosed});
	handleReconnects({socket, status, isClosed, onLost: () => catchUp.end()});

	status.report('connecting');

	return {
		close() {
			if (closed) return;
			closed = true;
			catchUp.end();
			hello.stop();
			socket.removeAllListeners();
			socket.io.removeAllListeners();
			socket.disconnect();
			status.report('closed');
		},
		lastSeq: () => delivery.last ?? 0,
	};
}
