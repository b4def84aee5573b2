/**
 * The telemetry variables of `mpm-tui hooks`: the ones mpm-tui writes for its server, and the ones
 * it finds that are not its own (at install, beside the chosen file; at uninstall, left with a
 * changed value; in status, per scope).
 */
import type {Config} from '../config.js';
import {SCOPES, settingsPath, type Scope} from '../hook/scopes.js';
import {readBackup, readSettings, type SettingsText} from '../hook/settings-file.js';
import {
	envBlock,
	foreignTelemetry,
	isTelemetryKey,
	ourTelemetry,
	shownValue,
	telemetryEnv,
	type Found,
} from '../hook/telemetry-env.js';
import type {HooksContext} from './hooks-context.js';

/** The server telemetry goes to: the URL mpm-tui's clients use (http://host:port, or --connect). */
export function telemetryFor(config: Config): Map<string, string> {
	return telemetryEnv(config.url, config.token);
}

export function listFound(found: Found[]): string {
	return found.map((f) => `${f.key}=${shownValue(f.key, f.value)}`).join(', ');
}

/**
 * Telemetry configurations that are not ours, wherever Claude Code would see them next to the
 * chosen file: the file itself, the other scopes' files (Claude Code merges their env blocks, a key
 * in one overriding another) and the environment this command runs in (a shell export reaches
 * Claude Code too, and the settings' env block would override it).
 */
export function otherTelemetry(
	scope: Scope,
	file: SettingsText,
	wanted: ReadonlyMap<string, string>,
	context: HooksContext,
): Array<{where: string; found: Found[]}> {
	const out: Array<{where: string; found: Found[]}> = [];
	const add = (where: string, found: Found[]) => {
		if (found.length > 0) out.push({where, found});
	};
	add(`${file.path} (env)`, foreignTelemetry(envBlock(file.value), wanted));
	for (const other of SCOPES) {
		if (other === scope) continue;
		const where = settingsPath(other, context);
		try {
			const value = readSettings(where).value;
			add(`${where} (env, ${other} scope)`, foreignTelemetry(envBlock(value), wanted));
		} catch {
			// Unreadable or odd: `hooks status` reports it.
		}
	}
	const shell: Record<string, unknown> = {};
	for (const key of Object.keys(context.env)) if (isTelemetryKey(key)) shell[key] = context.env[key];
	add('the environment of this shell', foreignTelemetry(shell, wanted));
	return out;
}

/**
 * Variables with the names mpm-tui writes that stay after the uninstall because their value is not
 * ours, leaving out those the file held before the install (the backup says so): the user's own.
 */
export function changedTelemetry(
	file: SettingsText,
	after: unknown,
	wanted: ReadonlyMap<string, string>,
): Found[] {
	let env: Record<string, unknown> | undefined;
	try {
		env = envBlock(after);
	} catch {
		return [];
	}
	if (!env) return [];
	const backup = readBackup(file.path);
	let before: Record<string, unknown> | undefined;
	try {
		before = backup && backup.value !== undefined ? envBlock(backup.value) : undefined;
	} catch {
		before = undefined;
	}
	const original = (key: string) =>
		before !== undefined && Object.hasOwn(before, key) && before[key] === env[key];
	return [...wanted.keys()]
		.filter((key) => Object.hasOwn(env, key) && env[key] !== wanted.get(key) && !original(key))
		.map((key) => ({key, value: env[key]}));
}

/** Whether the file's env block sends Claude Code's telemetry here, elsewhere, or not at all. */
export function telemetryStatus(
	scope: Scope,
	value: unknown,
	wanted: ReadonlyMap<string, string>,
	url: string,
): string[] {
	let env: Record<string, unknown> | undefined;
	try {
		env = envBlock(value);
	} catch (error) {
		return [`          telemetry: ${(error as Error).message}`];
	}
	const ours = ourTelemetry(value, wanted);
	const foreign = foreignTelemetry(env, wanted);
	const lines: string[] = [];
	if (ours.length === wanted.size) lines.push(`          telemetry: set, to ${url}`);
	else if (ours.length > 0)
		lines.push(
			`          telemetry: ${ours.length} of ${wanted.size} variables for ${url}; missing ${[...wanted.keys()].filter((k) => !ours.includes(k)).join(', ')}${foreign.length === 0 ? ` (run mpm-tui hooks install --telemetry --scope ${scope})` : ''}`,
		);
	if (foreign.length > 0) lines.push(`          telemetry: other settings: ${listFound(foreign)}`);
	return lines;
}
