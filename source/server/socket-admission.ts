/**
 * Who gets a Socket.IO connection. An Engine.IO handshake only opens a transport; the token (if
 * any) comes with the Socket.IO namespace connect that follows (`auth.token`), or already on the
 * handshake (`Authorization: Bearer`, `X-Mpm-Token`, `?token=`), as mpm-tui's own client sends it.
 *
 * - `maxConnections` counts admitted connections only: those that passed the namespace check.
 *   Handshakes that never connect to a namespace cannot take a token holder's place.
 * - Connections not admitted yet ("waiting") are few (`maxWaitingHandshakes`) and short-lived
 *   (closed after `connectTimeoutMs`), so a flood of bare handshakes holds little. Socket.IO's own
 *   `connectTimeout` (45 s) only starts an orderly close, which for a polling client that never
 *   polls again lasts until the transport's close timeout; here they are discarded at once.
 * - A handshake that carries the right token does not wait for a waiting slot: a token holder
 *   always gets in, however many bare handshakes are open.
 */
import type {IncomingMessage} from 'node:http';
import type {ConnectRefusalCode} from '../core/wire.js';
import type {Refusal} from './refusal.js';
import {queryOf, tokenFromRequest, tokenMatches} from './security.js';

/** What this needs of an Engine.IO connection (`socket.conn` / engine `connection`). */
export interface EngineConnection {
	readonly request: IncomingMessage;
	once(event: 'close', listener: () => void): unknown;
	/** `discard`: close now, without waiting for the transport (a polling client that never polls again). */
	close(discard?: boolean): unknown;
}

export interface AdmissionOptions {
	token: string | undefined;
	maxConnections: number;
	maxWaiting: number;
	/** A connection not admitted within this time is closed. */
	connectTimeoutMs: number;
}

/** A refused namespace connect: the code a client acts on, and the words for the user. */
export interface AdmissionRefusal {
	code: ConnectRefusalCode;
	message: string;
}

export interface AdmissionStats {
	admitted: number;
	waiting: number;
}

const WAITING_RETRY_AFTER_S = 1;

export class SocketAdmission {
	/** Handshake requests that carried the right token. */
	private readonly verified = new WeakSet<IncomingMessage>();
	private readonly waiting = new Set<EngineConnection>();
	private readonly admitted = new Set<EngineConnection>();

	constructor(private readonly options: AdmissionOptions) {}

	/** At an Engine.IO handshake (a request without `sid`): null to let it through, else why not. */
	handshakeRefusal(req: IncomingMessage): Refusal | null {
		const {token} = this.options;
		if (token !== undefined) {
			const given = tokenFromRequest(req.headers, queryOf(req.url));
			// A wrong token is not refused here: the namespace check refuses it with a message the client can show.
			if (given !== undefined && tokenMatches(token, given)) {
				this.verified.add(req);
				return null;
			}
		}
		if (this.waiting.size < this.options.maxWaiting) return null;
		const hint =
			token === undefined
				? ''
				: ' (send the token on the handshake, as an Authorization: Bearer header, to skip this wait)';
		return {
			status: 503,
			error: `too many Socket.IO connections are waiting to connect to a namespace (${this.options.maxWaiting} at most)${hint}; try again in ${WAITING_RETRY_AFTER_S} s`,
			retryAfterS: WAITING_RETRY_AFTER_S,
		};
	}

	/** Every new Engine.IO connection: it waits until admitted, unless its handshake carried the token. */
	track(conn: EngineConnection): void {
		const timer = setTimeout(() => {
			if (!this.admitted.has(conn)) conn.close(true);
		}, this.options.connectTimeoutMs);
		timer.unref();
		if (!this.verified.has(conn.request)) this.waiting.add(conn);
		conn.once('close', () => {
			clearTimeout(timer);
			this.waiting.delete(conn);
			this.admitted.delete(conn);
		});
	}

	/**
	 * The namespace check (every namespace's middleware): the token, then the connection limit.
	 * Null when admitted, else why not (the client's `connect_error`: `data.code` and `message`).
	 */
	admit(conn: EngineConnection, authToken: unknown): AdmissionRefusal | null {
		const {token, maxConnections} = this.options;
		if (token !== undefined) {
			const given =
				typeof authToken === 'string'
					? authToken
					: tokenFromRequest(conn.request.headers, queryOf(conn.request.url));
			if (!tokenMatches(token, given)) return {code: 'unauthorized', message: 'missing or wrong token'};
		}
		if (!this.admitted.has(conn)) {
			if (this.admitted.size >= maxConnections)
				return {
					code: 'too-many-connections',
					message: `too many connections: this server allows ${maxConnections} (CLAUDE_MPM_MAX_CONNECTIONS / MPM_TUI_MAX_CONNECTIONS)`,
				};
			this.admitted.add(conn);
			this.waiting.delete(conn);
		}
		return null;
	}

	stats(): AdmissionStats {
		return {admitted: this.admitted.size, waiting: this.waiting.size};
	}
}
