/**
 * Origin and token checks shared by HTTP and Socket.IO. A browser page on another site must not
 * be able to read prompts and file contents from the monitor, so only loopback origins (or none,
 * as with curl and Node clients) are allowed; the optional token is compared in constant time.
 */
import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/** True for no Origin header, or an `http(s)://localhost|127.x.x.x|[::1]` origin on any port. */
export function isAllowedOrigin(origin: string | undefined): boolean {
	if (origin === undefined || origin === '') return true;
	return LOOPBACK_ORIGIN.test(origin);
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (on equal-length digests, so the length leaks nothing either). */
export function tokenMatches(expected: string, given: string | undefined): boolean {
	if (given === undefined) return false;
	return timingSafeEqual(digest(expected), digest(given));
}

/** The token a request carries: `Authorization: Bearer`, `X-Mpm-Token`, or `?token=`. */
export function tokenFromRequest(
	headers: IncomingHttpHeaders,
	query: URLSearchParams | null,
): string | undefined {
	const auth = headers.authorization;
	if (typeof auth === 'string') {
		const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
		if (match) return match[1];
	}
	const header = headers['x-mpm-token'];
	if (typeof header === 'string') return header;
	const fromQuery = query?.get('token');
	return fromQuery ?? undefined;
}

/** Parses the query part of a raw request URL (`/path?x=1`) without throwing. */
export function queryOf(url: string | undefined): URLSearchParams {
	const i = url?.indexOf('?') ?? -1;
	return new URLSearchParams(i >= 0 && url ? url.slice(i + 1) : '');
}
