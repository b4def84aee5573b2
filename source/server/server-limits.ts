/**
 * Limits of the server that clients cannot talk their way past: how long and how many Socket.IO
 * connections may wait to be admitted.
 */

export interface ServerLimits {
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
	connectTimeoutMs: 5_000,
	maxWaitingHandshakes: 64,
};

export function resolveLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
	const limits = {...DEFAULT_SERVER_LIMITS, ...overrides};
	for (const [name, value] of Object.entries(limits)) {
		if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`server limit ${name} must be a whole number ≥ 1, got ${value}`);
	}
	return limits;
}
