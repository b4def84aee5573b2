/**
 * The mpm-tui client's Socket.IO socket: identifies as mpm-tui (with the token, if any), WebSocket
 * only, and reconnects with backoff (500 ms → 5 s, forever).
 */
import {io, type Socket} from 'socket.io-client';
import type {ClientToServerEvents, ServerToClientEvents} from '../core/wire.js';

/** A client's socket: what each side may send (core/wire.ts). */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openClientSocket(url: string, token: string | undefined): ClientSocket {
	return io(url, {
		auth: token === undefined ? {client: 'mpm-tui'} : {client: 'mpm-tui', token},
		// The token on the handshake too (when it can be a header value): the server then lets this
		// client in however many bare handshakes are waiting.
		...(token !== undefined && /^[\x21-\x7e]+$/.test(token)
			? {extraHeaders: {Authorization: `Bearer ${token}`}}
			: {}),
		transports: ['websocket'],
		reconnection: true,
		reconnectionAttempts: Infinity,
		reconnectionDelay: 500,
		reconnectionDelayMax: 5000,
		randomizationFactor: 0.2,
		timeout: 5000,
	});
}
