/**
 * The `http` transport of the installer: Claude Code POSTs each hook's JSON straight to the server
 * (`{"type":"http","url":…}`), no process per event. Pure: what our http entry looks like, and how
 * it is recognised among other programs' hooks (by its URL: our events route with our marker).
 *
 * Claude Code's rules (docs/hooks.md, "Transports"): http hooks are synchronous, SessionStart and
 * Setup take only command (and mcp_tool) hooks, header values fill `$VAR` only for names listed in
 * `allowedEnvVars`, and a refused connection or a non-2xx answer is a hook error in the session.
 */
import {httpHookUrl} from '../core/http-hook-url.js';

export {isMpmTuiHttpUrl} from '../core/http-hook-url.js';

export type Transport = 'command' | 'http';

export class TransportError extends Error {}

export function parseTransport(raw: string | undefined): Transport {
	const value = raw ?? 'command';
	if (value === 'command' || value === 'http') return value;
	throw new TransportError(`--transport takes command or http, got ${JSON.stringify(value)}`);
}

/** Events whose hooks Claude Code runs only as command (or mcp_tool) hooks: they keep the forwarder. */
export const COMMAND_ONLY_EVENTS: ReadonlySet<string> = new Set(['SessionStart', 'Setup']);

/** Seconds Claude Code waits for our answer (its default is 600): a server that hangs costs this per event. */
export const HTTP_TIMEOUT_SECONDS = 2;

/** The variable the token header is filled from; the token itself is never written into settings. */
export const TOKEN_ENV = 'MPM_TUI_TOKEN';

export interface HttpHookEntry {
	type: 'http';
	url: string;
	timeout: number;
	headers?: {[name: string]: string};
	allowedEnvVars?: string[];
}

/** Our http entry; with a token, `Authorization: Bearer $MPM_TUI_TOKEN` filled by Claude Code from its environment. */
export function httpHookEntry(
	baseUrl: string,
	withToken: boolean,
	timeout = HTTP_TIMEOUT_SECONDS,
): HttpHookEntry {
	const entry: HttpHookEntry = {type: 'http', url: httpHookUrl(baseUrl), timeout};
	if (withToken) {
		entry.headers = {Authorization: `Bearer $${TOKEN_ENV}`};
		entry.allowedEnvVars = [TOKEN_ENV];
	}
	return entry;
}

/** The server an http entry posts to (`http://host:port`), for probing its `/health`; undefined when the URL does not parse. */
export function serverOf(url: string): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}
