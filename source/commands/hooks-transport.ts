/**
 * `hooks install --transport command|http` and what `hooks status` says about http hooks. The
 * http transport has Claude Code POST each event to the server itself: no process per event, but
 * nothing spools it, so it is offered only when a server answers `/health` (the way `hooks status`
 * probes it), refused otherwise unless `--force`, and `hooks status` warns when http hooks are
 * installed and their server does not answer.
 */
import type {Config} from '../config.js';
import {SCOPES, settingsPath, type Places, type Scope} from '../hook/scopes.js';
import {readSettings} from '../hook/settings-file.js';
import {
	COMMAND_ONLY_EVENTS,
	httpHookEntry,
	HTTP_TIMEOUT_SECONDS,
	parseTransport,
	serverOf,
	TOKEN_ENV,
	type HttpHookEntry,
} from '../hook/http-hook.js';
import {findOurHooks, HOOK_EVENTS, type InstalledHook} from '../hook/settings-merge.js';
import {probeHealth, type Health} from '../hook/status.js';

/** What the http transport trades, said wherever it is offered or chosen. */
export const HTTP_TRADE_OFF =
	'no process per event (Claude Code posts the event itself), but nothing spools it: while no server answers, each event is lost and Claude Code shows a hook error in the session';

export type TransportPlan =
	{ok: true; http: HttpHookEntry | undefined; lines: string[]} | {ok: false; error: string};

/**
 * The http entry to install (undefined for the command transport) and the lines to print, or why
 * the http transport is refused. Probes the configured server once.
 */
export async function planTransport(
	config: Config,
	scope: Scope,
	options: {transport?: string; force?: boolean},
	env: Record<string, string | undefined>,
	probe: (url: string, token: string | undefined) => Promise<Health> = probeHealth,
): Promise<TransportPlan> {
	const transport = parseTransport(options.transport);
	if (transport === 'http' && scope === 'project')
		return {
			ok: false,
			error: `--transport http is not written to the project scope: .claude/settings.json is shared with the repository, and every teammate without a server running at ${config.url} would get a hook error on every event. Use --scope local or --scope user.`,
		};
	const health = await probe(config.url, config.token);
	if (transport === 'command') {
		return {
			ok: true,
			http: undefined,
			lines: health.ok
				? [
						`transport: command (a forwarder process per event). A server answers at ${config.url}: --transport http is available: ${HTTP_TRADE_OFF}.`,
					]
				: [],
		};
	}
	if (!health.ok && !options.force)
		return {
			ok: false,
			error: `--transport http needs a running server, and none answers at ${config.url} (${health.error}). With http hooks ${HTTP_TRADE_OFF}. Start the server first (mpm-tui, or mpm-tui --server-only), or pass --force to install them anyway; the default transport (command) spools events while the server is down.`,
		};
	if (health.ok && health.refused !== undefined && config.token !== undefined && !options.force)
		return {
			ok: false,
			error: `--transport http: ${health.refused}, so every event Claude Code posts would be refused (401, a hook error) and lost. Run hooks install with --token (or ${TOKEN_ENV}) set to the server's token, or pass --force to install them anyway.`,
		};
	// A server that wants a token gets the header even when this shell has none: Claude Code fills it from its own environment.
	const refused = health.ok ? health.refused : undefined;
	const needsToken = health.ok && health.needsToken;
	const withToken = config.token !== undefined || needsToken;
	const commandOnly = HOOK_EVENTS.map((e) => e.event).filter((e) => COMMAND_ONLY_EVENTS.has(e));
	const lines = [
		`transport: http: Claude Code posts each event to ${httpHookEntry(config.url, withToken).url} (timeout ${HTTP_TIMEOUT_SECONDS} s); ${commandOnly.join(', ')} keeps the forwarder (Claude Code runs only command hooks there).`,
		`           Trade-off: ${HTTP_TRADE_OFF}.`,
	];
	if (!health.ok)
		lines.push(
			`WARNING:   no server answers at ${config.url} now (${health.error}): until one runs, every event is lost and shows as a hook error (installed anyway: --force)`,
		);
	if (refused !== undefined)
		lines.push(
			config.token === undefined
				? `WARNING:   ${refused}: the http hooks send Authorization: Bearer $${TOKEN_ENV} (headers + allowedEnvVars; no token is written). Start Claude Code with ${TOKEN_ENV} set to the server's token, or every event is refused (401, a hook error) and lost`
				: `WARNING:   ${refused}: every event is refused (401, a hook error) and lost until Claude Code has the server's token in ${TOKEN_ENV} (installed anyway: --force)`,
		);
	else if (withToken) {
		lines.push(
			`token:     sent as Authorization: Bearer $${TOKEN_ENV} (headers + allowedEnvVars; the token itself is not written): Claude Code must have ${TOKEN_ENV} in its environment`,
		);
		if (env[TOKEN_ENV] !== config.token)
			lines.push(
				`WARNING:   ${TOKEN_ENV} in this shell is ${env[TOKEN_ENV] === undefined ? 'not set' : 'not the token in use'}: start Claude Code with ${TOKEN_ENV} set to the server's token, or every event is refused (401, a hook error)`,
			);
	}
	return {ok: true, http: httpHookEntry(config.url, withToken), lines};
}

/** The http entries of one scope, for `hooks status`: where they post and how the token goes. */
export function httpEntryLines(ours: readonly InstalledHook[]): string[] {
	const http = ours.filter((h) => h.type === 'http');
	if (http.length === 0) return [];
	const lines: string[] = [];
	for (const url of new Set(http.map((h) => h.url ?? ''))) {
		const on = http.filter((h) => h.url === url);
		const token = on.some((h) => JSON.stringify(h.headers ?? {}).includes(`$${TOKEN_ENV}`))
			? `, token from $${TOKEN_ENV}`
			: '';
		lines.push(`          http:    ${url} (${on.length} event(s)${token})`);
	}
	return lines;
}

/**
 * A warning per server that http hooks post to and that does not answer `/health`: Claude Code
 * loses those events and shows a hook error for each. `known` is the probe of the configured server.
 */
export async function httpServerWarnings(
	installed: ReadonlyArray<{scope: Scope; hooks: readonly InstalledHook[]}>,
	config: Config,
	known: Health,
	probe: (url: string, token: string | undefined) => Promise<Health> = probeHealth,
): Promise<string[]> {
	const scopesOf = new Map<string, Set<Scope>>();
	for (const {scope, hooks} of installed) {
		for (const hook of hooks) {
			if (hook.type !== 'http' || hook.url === undefined) continue;
			const server = serverOf(hook.url) ?? hook.url;
			const set = scopesOf.get(server) ?? new Set<Scope>();
			set.add(scope);
			scopesOf.set(server, set);
		}
	}
	const lines: string[] = [];
	for (const [server, scopes] of scopesOf) {
		const health = server === serverOf(config.url) ? known : await probe(server, config.token);
		if (health.ok) {
			const bare = installed.filter(({hooks}) =>
				hooks.some(
					(h) =>
						h.type === 'http' &&
						h.url !== undefined &&
						(serverOf(h.url) ?? h.url) === server &&
						!JSON.stringify(h.headers ?? {}).includes(`$${TOKEN_ENV}`),
				),
			);
			if (health.needsToken && bare.length > 0)
				lines.push(
					`WARNING http hooks (${bare.map((b) => b.scope).join(', ')} scope) post to ${server} without a token, and the server requires one (GET /api/status answered 401): every event is refused (401, a hook error) and lost. Reinstall them with the server's token in ${TOKEN_ENV}: mpm-tui hooks install --transport http --scope ${bare[0]!.scope}, and start Claude Code with ${TOKEN_ENV} set`,
				);
			continue;
		}
		lines.push(
			`WARNING http hooks (${[...scopes].join(', ')} scope) post to ${server}, which does not answer (${health.error}): every event is lost and Claude Code shows a hook error for each. Start the server (mpm-tui, or mpm-tui --server-only), or go back to the command transport: mpm-tui hooks install --scope ${[...scopes][0]}`,
		);
	}
	return lines;
}

/** An installed http entry as the installer would write it (same keys, same order). */
export function httpEntryOf(hook: InstalledHook): HttpHookEntry {
	const entry: HttpHookEntry = {type: 'http', url: hook.url ?? '', timeout: hook.timeout ?? 0};
	if (hook.headers !== undefined) entry.headers = hook.headers as HttpHookEntry['headers'];
	if (hook.allowedEnvVars !== undefined) entry.allowedEnvVars = hook.allowedEnvVars as string[];
	return entry;
}

/** Our entries in each scope's file (unreadable files are left out: their line says why). */
export function installedHooks(places: Places): Array<{scope: Scope; hooks: InstalledHook[]}> {
	const out: Array<{scope: Scope; hooks: InstalledHook[]}> = [];
	for (const scope of SCOPES) {
		try {
			out.push({scope, hooks: findOurHooks(readSettings(settingsPath(scope, places)).value)});
		} catch {
			// Unreadable: its status line says why.
		}
	}
	return out;
}
