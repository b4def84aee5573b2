/**
 * The URL a Claude Code http hook of ours posts to: the events route with a marker in the query.
 * The installer writes it and knows its own entries by it; the server knows an http hook's POST by
 * it (and answers with an empty body, which Claude Code reads as "no decision").
 */

export const HTTP_HOOK_PARAM = 'mpm-tui';
export const HTTP_HOOK_VALUE = 'http-hook';

/** The events URL of the server at `baseUrl` (http://host:port), marked as an http hook's. */
export function httpHookUrl(baseUrl: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/api/events?${HTTP_HOOK_PARAM}=${HTTP_HOOK_VALUE}`;
}

/** True for a URL of ours: an http(s) URL whose path is `/api/events` and whose query carries the marker. */
export function isMpmTuiHttpUrl(url: unknown): boolean {
	if (typeof url !== 'string') return false;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	return (
		(parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
		parsed.pathname === '/api/events' &&
		parsed.searchParams.get(HTTP_HOOK_PARAM) === HTTP_HOOK_VALUE
	);
}
