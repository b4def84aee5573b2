/**
 * How the mpm-tui client answers a lost or refused connection: a disconnect ends the catch-up
 * under way and is reported; a server that ended the session itself is connected to again (the
 * Socket.IO client does not retry that on its own); a token refusal stops (auth-refusal.ts); any
 * other refusal by the server's middleware is tried again in 5 s; reconnect attempts are counted.
 */
import {isAuthRefusal} from './auth-refusal.js';
import type {ClientSocket} from './client-socket.js';
import type {ConnectionStatus} from './connection-status.js';
import {serverText} from './server-text.js';

const SERVER_DISCONNECT_RETRY_MS = 500;
const REFUSAL_RETRY_MS = 5000;

export interface ReconnectDeps {
	socket: ClientSocket;
	status: ConnectionStatus;
	isClosed(): boolean;
	/** The connection is gone: a catch-up under way ends. */
	onLost(): void;
}

export function handleReconnects({socket, status, isClosed, onLost}: ReconnectDeps): void {
	socket.on('disconnect', (reason) => {
		if (isClosed()) return;
		onLost();
		status.report('reconnecting', `disconnected (${serverText(reason)})`);
		// The server ended the session itself (e.g. shutting down): socket.io-client will not retry on its own.
		if (reason === 'io server disconnect')
			setTimeout(() => !isClosed() && socket.connect(), SERVER_DISCONNECT_RETRY_MS).unref?.();
	});

	socket.on('connect_error', (error) => {
		if (isClosed()) return;
		// The server's words (its middleware's refusal): shown to the user, so made safe first.
		const message = serverText(error?.message);
		if (isAuthRefusal(error)) {
			status.report('unauthorized', message);
			socket.disconnect();
			return;
		}
		if (!socket.active) {
			// Refused by the server's middleware (e.g. too many connections): try again later.
			status.report('reconnecting', message);
			setTimeout(() => !isClosed() && socket.connect(), REFUSAL_RETRY_MS).unref?.();
			return;
		}
		status.report(status.attempt === 0 && !status.server ? 'connecting' : 'reconnecting', message);
	});

	socket.io.on('reconnect_attempt', (n) => {
		status.attempt = n;
		status.report('reconnecting');
	});
}
