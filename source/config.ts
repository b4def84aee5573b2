/**
 * Resolves the run-time configuration from command-line flags and the environment.
 * Flags beat mpm-tui's own MPM_TUI_* variables, which beat claude-mpm's CLAUDE_MPM_* aliases.
 * Pure: the caller passes `env` and `home`.
 */
import path from 'node:path';
import {parseRedisUrl} from './core/redis-url.js';

/** As typed on the command line; a number only from a caller in code. */
export interface Flags {
	port?: string | number;
	host?: string;
	connect?: string;
	token?: string;
	history?: string | number;
	/** `--history-bytes`: a number of bytes, or with a unit (`64M`, `1G`, `512K`). */
	historyBytes?: string | number;
	journal?: string | boolean;
	filter?: string;
	/** `--otel-keep-identity`: keep telemetry's identity attributes (`user.email`, …). */
	otelKeepIdentity?: boolean;
	/** `--no-transcripts`: false. */
	transcripts?: boolean;
	transcriptsFromStart?: boolean;
	/** `--redis URL`: run as one instance of a team server (docs/team.md). */
	redis?: string;
}

export interface Config {
	port: number;
	host: string;
	/** URL the TUI / tail / emit talk to (`--connect`, else http://host:port). */
	url: string;
	/** True when `--connect` was given: never host a server. */
	forcedConnect: boolean;
	token: string | undefined;
	history: number;
	/** Bound on the bytes of history kept in memory (the records' NDJSON lines). */
	historyBytes: number;
	/** Journal file path, or null when the journal is off. */
	journal: string | null;
	stateDir: string;
	spool: string;
	maxConnections: number;
	pingInterval: number;
	pingTimeout: number;
	filter: string;
	/** Keep `user.email`, `user.account_uuid`, `organization.id` and the like in OTLP telemetry (core/otel-identity.ts); dropped at ingest by default. */
	otelKeepIdentity: boolean;
	/**
	 * Following the transcripts that local hook events name (docs/usage.md): on unless
	 * `--no-transcripts` / `MPM_TUI_TRANSCRIPTS=0`; `fromStart`: read a file from its start rather
	 * than from where it stands when first named; `roots`: the folders a transcript may be in (the
	 * home and each `CLAUDE_CONFIG_DIR`, which may list several, comma-separated).
	 */
	transcripts: {follow: boolean; fromStart: boolean; roots: string[]};
	/** A user's price file read over the built-in table (`MPM_TUI_PRICES`, else `${XDG_CONFIG_HOME:-~/.config}/mpm-tui/prices.json`). */
	pricesFile: string;
	/** Whether `MPM_TUI_PRICES` named it: then its absence is worth saying (the default place may well have none). */
	pricesFileNamed: boolean;
	/** `--redis` / `MPM_TUI_REDIS_URL` (docs/team.md): the Redis shared by a team's instances, or null. `redacted`: the URL with its password as `***`, the only form logged. */
	redis: {url: string; redacted: string} | null;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function firstDefined(...values: Array<string | undefined>): string | undefined {
	return values.find((v) => v !== undefined && v !== '');
}

/**
 * A number as it is typed: decimal digits only. `1e3`, `0x10`, `+5`, ` 8`, `-1` and an empty value
 * are not numbers here (Number() would take the first four, and '' as 0), as the server's
 * X-Mpm-Received header refuses them.
 */
const DIGITS = /^\d+$/;
/** Digits with an optional fraction (`0.5`, `2.`, `.25`) for `--speed` and `--timeout`. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** How a refused value is shown: what was typed, quoted (a number from a caller as is). */
function shown(raw: string | number): string {
	return typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
}

function intFrom(
	name: string,
	raw: string | number | undefined,
	fallback: number,
	min = 0,
	max = Number.MAX_SAFE_INTEGER,
): number {
	if (raw === undefined) return fallback;
	const n = typeof raw === 'number' ? raw : DIGITS.test(raw) ? Number(raw) : Number.NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max) {
		throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${shown(raw)}`);
	}
	return n;
}

/**
 * A command's number flag as typed (`--since`, `--lines`: `whole`; `--timeout`, `--speed`:
 * `positive`, fractions allowed), or undefined when it is not given. Refused with `refusal`
 * and the value as typed.
 */
export function numberFlag(
	raw: string | undefined,
	kind: 'whole' | 'positive',
	refusal: string,
): number | undefined {
	if (raw === undefined) return undefined;
	const n = (kind === 'whole' ? DIGITS : DECIMAL).test(raw) ? Number(raw) : Number.NaN;
	if (kind === 'whole' ? !Number.isSafeInteger(n) : !(Number.isFinite(n) && n > 0))
		throw new ConfigError(`${refusal}, got ${shown(raw)}`);
	return n;
}

const UNITS = new Map<string, number>([
	['', 1],
	['B', 1],
	['K', 1024],
	['KB', 1024],
	['KIB', 1024],
	['M', 1024 ** 2],
	['MB', 1024 ** 2],
	['MIB', 1024 ** 2],
	['G', 1024 ** 3],
	['GB', 1024 ** 3],
	['GIB', 1024 ** 3],
]);

export const DEFAULT_HISTORY_BYTES = 256 * 1024 ** 2;

/** A size such as `1048576`, `64M`, `1.5G` (K, M, G are powers of 1024). */
export function sizeFrom(
	name: string,
	raw: string | number | undefined,
	fallback: number,
	min = 1024 * 1024,
): number {
	if (raw === undefined) return fallback;
	const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(raw));
	const unit = match ? UNITS.get(match[2].toUpperCase()) : undefined;
	const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN;
	if (!Number.isSafeInteger(bytes) || bytes < min)
		throw new ConfigError(
			`${name} must be a size of at least ${min / 1024 / 1024} MB, such as 64M or 1G, got ${JSON.stringify(String(raw))}`,
		);
	return bytes;
}

export function stateDirFrom(env: Env, home: string): string {
	return (
		firstDefined(env.MPM_TUI_STATE_DIR) ??
		path.join(firstDefined(env.XDG_STATE_HOME) ?? path.join(home, '.local', 'state'), 'mpm-tui')
	);
}

export function isLoopbackHost(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export function resolveConfig(flags: Flags, env: Env, home: string): Config {
	const port = intFrom(
		'--port',
		flags.port ?? firstDefined(env.MPM_TUI_PORT, env.CLAUDE_MPM_SOCKETIO_PORT),
		8765,
		0,
		65535,
	);
	const host = flags.host ?? firstDefined(env.MPM_TUI_HOST, env.CLAUDE_MPM_BIND_HOST) ?? '127.0.0.1';
	const token = flags.token ?? firstDefined(env.MPM_TUI_TOKEN, env.CLAUDE_MPM_SOCKETIO_TOKEN);
	const stateDir = stateDirFrom(env, home);
	let journal: string | null;
	if (flags.journal === false || env.MPM_TUI_NO_JOURNAL === '1') journal = null;
	else if (typeof flags.journal === 'string' && flags.journal !== '') journal = path.resolve(flags.journal);
	else journal = firstDefined(env.MPM_TUI_JOURNAL) ?? path.join(stateDir, 'journal.ndjson');
	const urlHost =
		host === '0.0.0.0' || host === '::'
			? '127.0.0.1'
			: host.includes(':') && !host.startsWith('[')
				? `[${host}]`
				: host;
	const connect = flags.connect ?? firstDefined(env.MPM_TUI_CONNECT);
	if (connect !== undefined && !/^https?:\/\/[^/]+/.test(connect)) {
		throw new ConfigError(
			`--connect takes a URL such as http://127.0.0.1:8765, got ${JSON.stringify(connect)}`,
		);
	}
	const redisRaw = flags.redis ?? firstDefined(env.MPM_TUI_REDIS_URL);
	let redis: Config['redis'] = null;
	if (redisRaw !== undefined && redisRaw !== '') {
		const parsed = parseRedisUrl(redisRaw);
		if (!parsed.ok) throw new ConfigError(`--redis ${parsed.error}`);
		if (journal === null)
			throw new ConfigError(
				'--redis needs the journal: it keeps the events accepted while Redis is away until they are shipped (drop --no-journal / MPM_TUI_NO_JOURNAL)',
			);
		redis = {url: parsed.url, redacted: parsed.redacted};
	}
	return {
		port,
		host,
		url: (connect ?? `http://${urlHost}:${port}`).replace(/\/+$/, ''),
		forcedConnect: connect !== undefined,
		token,
		history: intFrom('--history', flags.history ?? firstDefined(env.MPM_TUI_HISTORY), 10_000, 1, 10_000_000),
		historyBytes: sizeFrom(
			'--history-bytes',
			flags.historyBytes ?? firstDefined(env.MPM_TUI_HISTORY_BYTES),
			DEFAULT_HISTORY_BYTES,
		),
		journal,
		stateDir,
		spool: firstDefined(env.MPM_TUI_SPOOL) ?? path.join(stateDir, 'spool.ndjson'),
		maxConnections: intFrom(
			'CLAUDE_MPM_MAX_CONNECTIONS',
			firstDefined(env.MPM_TUI_MAX_CONNECTIONS, env.CLAUDE_MPM_MAX_CONNECTIONS),
			100,
			1,
		),
		pingInterval: intFrom(
			'CLAUDE_MPM_PING_INTERVAL',
			firstDefined(env.MPM_TUI_PING_INTERVAL, env.CLAUDE_MPM_PING_INTERVAL),
			25_000,
			1000,
		),
		pingTimeout: intFrom(
			'CLAUDE_MPM_PING_TIMEOUT',
			firstDefined(env.MPM_TUI_PING_TIMEOUT, env.CLAUDE_MPM_PING_TIMEOUT),
			20_000,
			1000,
		),
		filter: flags.filter ?? '',
		otelKeepIdentity:
			flags.otelKeepIdentity ?? /^(1|true|yes)$/i.test(firstDefined(env.MPM_TUI_OTEL_KEEP_IDENTITY) ?? ''),
		transcripts: {
			follow: flags.transcripts ?? !/^(0|false|no|off)$/i.test(firstDefined(env.MPM_TUI_TRANSCRIPTS) ?? ''),
			fromStart:
				flags.transcriptsFromStart ??
				/^(1|true|yes)$/i.test(firstDefined(env.MPM_TUI_TRANSCRIPTS_FROM_START) ?? ''),
			roots: [
				home,
				...(firstDefined(env.CLAUDE_CONFIG_DIR) ?? '')
					.split(',')
					.map((dir) => dir.trim())
					.filter((dir) => path.isAbsolute(dir)),
			],
		},
		pricesFile:
			firstDefined(env.MPM_TUI_PRICES) ??
			path.join(firstDefined(env.XDG_CONFIG_HOME) ?? path.join(home, '.config'), 'mpm-tui', 'prices.json'),
		pricesFileNamed: firstDefined(env.MPM_TUI_PRICES) !== undefined,
		redis,
	};
}

/**
 * The one bind rule (design §4): a non-loopback bind address needs a token. Returns an error
 * message or null. `startServer` applies it through `assertSafeBind`, whoever starts the server.
 */
export function checkBindSecurity(config: Pick<Config, 'host' | 'token'>): string | null {
	if (isLoopbackHost(config.host) || config.token) return null;
	return `refusing to listen on ${config.host} without a token: anyone on that network could read your prompts and files. Set --token or MPM_TUI_TOKEN, or bind to 127.0.0.1.`;
}

/** Thrown by `startServer` for a bind that `checkBindSecurity` refuses; the message is one line. */
export class UnsafeBindError extends Error {}

export function assertSafeBind(config: Pick<Config, 'host' | 'token'>): void {
	const error = checkBindSecurity(config);
	if (error !== null) throw new UnsafeBindError(error);
}
