/**
 * Whether a Socket.IO `connect_error` is a server refusing the token: the refusal's `data.code`
 * (core/wire.ts `ConnectRefusalData`), never words in its message, which a server's other
 * refusals may share ("token bucket exhausted" is a reason to try again later, not a wrong token).
 *
 * Servers from before the code sent the same refusal with its exact message and no data; that
 * message alone still counts. claude-mpm's server checks no token (its `connect` handler takes
 * `auth` for a client id only), so it never sends either.
 */
import type {ConnectRefusalCode} from '../core/wire.js';

/** The whole message of an mpm-tui server's token refusal, from before `data.code`. */
const UNAUTHORIZED_MESSAGE = 'missing or wrong token';

const UNAUTHORIZED: ConnectRefusalCode = 'unauthorized';

export function isAuthRefusal(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const {data, message} = error as {data?: unknown; message?: unknown};
	if (data !== undefined && data !== null)
		return typeof data === 'object' && (data as {code?: unknown}).code === UNAUTHORIZED;
	return message === UNAUTHORIZED_MESSAGE;
}
