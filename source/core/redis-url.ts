/**
 * The `--redis` URL (`MPM_TUI_REDIS_URL`): checked before anything connects, and shown only with
 * its password replaced by `***`, so that no log or status line carries the secret.
 */

export type RedisUrl = {ok: true; url: string; redacted: string} | {ok: false; error: string};

/** The URL's form for logs and /api/status: user kept, password replaced by `***`. */
export function redactRedisUrl(url: URL): string {
	if (url.password === '') return url.href;
	const copy = new URL(url.href);
	copy.password = '***';
	return copy.href;
}

/** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS); anything else is refused with the reason. */
export function parseRedisUrl(raw: string): RedisUrl {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		// The text may hold a password: it is not echoed.
		return {ok: false, error: 'must be a URL such as redis://127.0.0.1:6379 or rediss://host:6380'};
	}
	const redacted = redactRedisUrl(url);
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
		return {
			ok: false,
			error: `must start with redis:// or rediss:// (TLS), got ${url.protocol.length > 20 ? 'another scheme' : JSON.stringify(url.protocol)}`,
		};
	if (url.hostname === '') return {ok: false, error: `needs a host, as in redis://127.0.0.1:6379`};
	if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname))
		return {ok: false, error: `the path can only be a database number (/0 to /99), got ${redacted}`};
	if (url.search !== '' || url.hash !== '')
		return {ok: false, error: `takes no query or fragment, got ${redacted}`};
	return {ok: true, url: url.href, redacted};
}
