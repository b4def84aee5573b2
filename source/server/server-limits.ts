/**
 * Time and size limits of the HTTP server and Socket.IO, tuned for a loopback event sink: a
 * forwarder sends a few KB and gives up after 300 ms, so nothing honest needs minutes. Node's own
 * defaults (60 s for headers, 5 minutes for a request) let stalled senders hold memory that long.
 */
import type {ServerOptions as HttpServerOptions} from 'node:http';

export interface ServerLimits {
	/** Time to receive a request's headers (Node's `headersTimeout`). */
	headersTimeoutMs: number;
	/**
	 * Time to receive a whole request, headers and body (Node's `requestTimeout`). A body is at most
	 * 1 MB (`MAX_BODY_BYTES`): on loopback that takes milliseconds; 30 s still lets a 1 MB NDJSON
	 * batch or `mpm-tui emit` through a slow remote link (about 300 kbit/s) when bound with a token.
	 */
	requestTimeoutMs: number;
	/** Bytes of unfinished request bodies held across all connections at once. */
	maxInflightBodyBytes: number;
	/**
	 * Time an Engine.IO connection may take to be admitted (to connect to a Socket.IO namespace past
	 * the token check); then it is discarded. Clients connect right after the handshake. (Socket.IO's
	 * own `connectTimeout`, 45 s, only starts an orderly close.)
	 */
	connectTimeoutMs: number;
	/** Engine.IO connections that have not (yet) passed the namespace check, at once. */
	maxWaitingHandshakes: number;
}

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = {
	headersTimeoutMs: 10_000,
	requestTimeoutMs: 30_000,
	maxInflightBodyBytes: 16 * 1_048_576,
	connectTimeoutMs: 5_000,
	maxWaitingHandshakes: 64,
};

export function resolveLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
	const limits = {...DEFAULT_SERVER_LIMITS, ...overrides};
	for (const [name, value] of Object.entries(limits)) {
		if (!Number.isSafeInteger(value) || value < 1)
			throw new RangeError(`server limit ${name} must be a whole number ≥ 1, got ${value}`);
	}
	// Node refuses a headers timeout longer than the request timeout.
	limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
	return limits;
}

/**
 * Options for `http.createServer`. Node checks the two timeouts every `connectionsCheckingInterval`
 * (30 s by default, which would let a stalled request live up to 30 s longer than its limit).
 * `requireHostHeader` is off because the request gate answers a missing Host itself, in JSON.
 */
export function httpServerOptions(limits: ServerLimits): HttpServerOptions {
	return {
		headersTimeout: limits.headersTimeoutMs,
		requestTimeout: limits.requestTimeoutMs,
		connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 5))),
		requireHostHeader: false,
	};
}
