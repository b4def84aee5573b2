/**
 * The mpm-tui server's `hello` on connect: who the client is talking to and where to catch up
 * from. A server that sends none within HELLO_WAIT_MS is taken to be claude-mpm (no history: the
 * client is connected at once).
 */
import type {HelloInfo} from '../core/wire.js';
import type {ClientSocket} from './client-socket.js';
import type {ConnectionStatus} from './connection-status.js';
import type {HistoryCatchUp} from './history-catch-up.js';
import type {SeqDelivery} from './seq-delivery.js';

/** Without a `hello` this long after connecting, the server is taken to be claude-mpm. */
const HELLO_WAIT_MS = 1500;

/** The `hello` a server sent, when its `lastSeq` is usable; the other fields are filled when odd. */
export function helloFrom(raw: unknown): HelloInfo | null {
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

/**
 * The seq to catch up after: the one seen last; at the first `hello` without one, the newest
 * `historyLimit` events (none without it); 0 when the server's seqs are behind it (a different
 * server, or one restarted without its journal: its seqs start again).
 */
export function startAfter(
	last: number | undefined,
	hello: HelloInfo,
	historyLimit: number | undefined,
): number {
	if (last === undefined) return historyLimit ? Math.max(0, hello.lastSeq - historyLimit) : hello.lastSeq;
	return hello.lastSeq < last ? 0 : last;
}

export interface HelloDeps {
	socket: ClientSocket;
	status: ConnectionStatus;
	delivery: SeqDelivery;
	catchUp: HistoryCatchUp;
	historyLimit: number | undefined;
	problem(message: string): void;
	isClosed(): boolean;
}

/** Listens for `hello` on every connect (and waits for it); returns what stops the wait. */
export function handleHello({
	socket,
	status,
	delivery,
	catchUp,
	historyLimit,
	problem,
	isClosed,
}: HelloDeps): {
	stop(): void;
} {
	let helloTimer: ReturnType<typeof setTimeout> | undefined;
	const stop = () => {
		if (helloTimer) clearTimeout(helloTimer);
	};

	socket.on('hello', (raw: unknown) => {
		stop();
		let hello = helloFrom(raw);
		if (hello === null) {
			problem(
				`the server sent a malformed hello (lastSeq is not a whole number ≥ 0); catching up after seq ${delivery.last ?? 0}`,
			);
			hello = {service: 'mpm-tui', version: '?', lastSeq: delivery.last ?? 0, firstSeq: 0, serverTime: ''};
		}
		status.server = hello;
		catchUp.reset();
		delivery.last = startAfter(delivery.last, hello, historyLimit);
		catchUp.start();
	});

	socket.on('connect', () => {
		status.attempt = 0;
		catchUp.catchingUp = true;
		stop();
		helloTimer = setTimeout(() => {
			if (!isClosed() && socket.connected && !status.server) {
				catchUp.catchingUp = false;
				status.report('connected');
			}
		}, HELLO_WAIT_MS);
	});

	return {stop};
}
