/**
 * The telemetry variables `mpm-tui hooks install --telemetry` puts in a Claude Code settings file's
 * `env` block (Claude Code applies that block to its own environment, so its OpenTelemetry SDK
 * exports OTLP/HTTP JSON to this server), and their removal by `hooks uninstall`. Pure: plain
 * functions over parsed JSON; the caller reads and writes the file.
 *
 * Never overriding: any `OTEL_*` or `CLAUDE_CODE_ENABLE_TELEMETRY` already there with another
 * value is a telemetry configuration of the user's; the caller then writes none of ours.
 */
import {SettingsShapeError, type JsonObject} from './settings-merge.js';

/** Logs every second: an api_request or tool_result shows up while the session runs (Claude Code's default is 5 s). */
export const LOGS_INTERVAL_MS = 1000;
/** Metrics (cumulative cost and token counters, a check on the logs' sums) every 10 s rather than Claude Code's default 60 s. */
export const METRICS_INTERVAL_MS = 10_000;

/** `OTEL_*` and Claude Code's switch: the variables that make up a telemetry configuration. */
export function isTelemetryKey(key: string): boolean {
	return key.startsWith('OTEL_') || key === 'CLAUDE_CODE_ENABLE_TELEMETRY';
}

/** Keys whose value is a secret (OTLP headers carry the token): shown masked. */
function isSecretKey(key: string): boolean {
	return /^OTEL_EXPORTER_OTLP(?:_[A-Z]+)?_HEADERS$/.test(key);
}

/** A headers value with each header's value masked: `Authorization=****`. */
export function maskHeaders(value: string): string {
	return value
		.split(',')
		.map((pair) => {
			const at = pair.indexOf('=');
			return at === -1 ? '****' : `${pair.slice(0, at)}=****`;
		})
		.join(',');
}

/** A variable's value as it may be printed. */
export function shownValue(key: string, value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return isSecretKey(key) ? maskHeaders(text) : text;
}

/** Settings text (a diff) with every headers variable's value masked, and the token wherever else it appears. */
export function maskSettingsText(text: string, token: string | undefined): string {
	let out = text.replace(
		/("OTEL_EXPORTER_OTLP(?:_[A-Z]+)?_HEADERS"\s*:\s*")((?:[^"\\]|\\.)*)(")/g,
		(_all, head: string, value: string, tail: string) => `${head}${maskHeaders(value)}${tail}`,
	);
	if (token !== undefined && token !== '') {
		for (const form of new Set([token, encodeURIComponent(token), JSON.stringify(token).slice(1, -1)]))
			out = out.split(form).join('****');
	}
	return out;
}

/**
 * The variables for a server at `endpoint` (http://host:port), in the order they are written. The
 * token goes in OTLP's headers variable, whose values the SDKs percent-decode (W3C baggage format).
 */
export function telemetryEnv(endpoint: string, token: string | undefined): Map<string, string> {
	const env = new Map<string, string>([
		['CLAUDE_CODE_ENABLE_TELEMETRY', '1'],
		['OTEL_LOGS_EXPORTER', 'otlp'],
		['OTEL_METRICS_EXPORTER', 'otlp'],
		['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json'],
		['OTEL_EXPORTER_OTLP_ENDPOINT', endpoint],
		['OTEL_LOGS_EXPORT_INTERVAL', String(LOGS_INTERVAL_MS)],
		['OTEL_METRIC_EXPORT_INTERVAL', String(METRICS_INTERVAL_MS)],
	]);
	if (token !== undefined && token !== '')
		env.set('OTEL_EXPORTER_OTLP_HEADERS', `Authorization=Bearer%20${encodeURIComponent(token)}`);
	return env;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The settings' `env` block, checked: undefined when there is none. */
export function envBlock(settings: unknown): JsonObject | undefined {
	if (!isObject(settings)) throw new SettingsShapeError('the settings are not a JSON object');
	if (!Object.hasOwn(settings, 'env')) return undefined;
	const env = settings.env;
	if (!isObject(env)) throw new SettingsShapeError('"env" is not an object');
	return env;
}

export interface Found {
	key: string;
	value: unknown;
}

/** The telemetry variables in `env` that are not ours with our value: someone's own configuration. */
export function foreignTelemetry(
	env: Record<string, unknown> | undefined,
	wanted: ReadonlyMap<string, string>,
): Found[] {
	if (!env) return [];
	return Object.keys(env)
		.filter(
			(key) =>
				isTelemetryKey(key) && env[key] !== undefined && !(wanted.has(key) && env[key] === wanted.get(key)),
		)
		.map((key) => ({key, value: env[key]}));
}

/** Our variables that the settings hold with our value. */
export function ourTelemetry(settings: unknown, wanted: ReadonlyMap<string, string>): string[] {
	if (!isObject(settings) || !isObject(settings.env)) return [];
	const env = settings.env;
	return [...wanted]
		.filter(([key, value]) => Object.hasOwn(env, key) && env[key] === value)
		.map(([key]) => key);
}

export interface EnvResult {
	settings: JsonObject;
	/** Keys added (install) or removed (uninstall). */
	keys: string[];
	changed: boolean;
}

/** Adds the variables that are missing; callers check `foreignTelemetry` first (nothing is ever overwritten here either). */
export function installTelemetry(settings: unknown, wanted: ReadonlyMap<string, string>): EnvResult {
	const existing = envBlock(settings);
	const result = JSON.parse(JSON.stringify(settings)) as JsonObject;
	const env: JsonObject = existing ? (result.env as JsonObject) : {};
	const keys: string[] = [];
	for (const [key, value] of wanted) {
		if (Object.hasOwn(env, key)) continue;
		env[key] = value;
		keys.push(key);
	}
	if (!existing && keys.length > 0) result.env = env;
	return {settings: result, keys, changed: keys.length > 0};
}

/** Removes our variables where they still hold our value; an `env` block this leaves empty goes too. */
export function uninstallTelemetry(settings: unknown, wanted: ReadonlyMap<string, string>): EnvResult {
	const result = JSON.parse(JSON.stringify(settings)) as JsonObject;
	if (!isObject(result) || !isObject(result.env)) return {settings: result, keys: [], changed: false};
	const env = result.env;
	const keys: string[] = [];
	for (const [key, value] of wanted) {
		if (Object.hasOwn(env, key) && env[key] === value) {
			delete env[key];
			keys.push(key);
		}
	}
	if (keys.length > 0 && Object.keys(env).length === 0) delete result.env;
	return {settings: result, keys, changed: keys.length > 0};
}
