/**
 * `mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--transport command|http [--force]] [--telemetry] [--dry-run]`:
 * writes, removes and reports mpm-tui's entries in Claude Code's settings files (hooks, and with
 * `--telemetry` the OpenTelemetry variables of the `env` block). The merge logic is in
 * source/hook/settings-merge.ts and source/hook/telemetry-env.ts, the file handling (and the backup uninstall gives back) in
 * source/hook/settings-file.ts, the project scope's command for any machine in
 * source/hook/portable-command.ts, the http transport in hooks-transport.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import type {Config} from '../config.js';
import {showControls} from '../core/terminal-safe.js';
import {chooseForwarder, commandPaths, ForwarderError, forwarderFiles} from '../hook/forwarder-command.js';
import {
	isPortableCommand,
	parseForwarderOption,
	PATH_BINS,
	portableCommand,
	portableTarget,
} from '../hook/portable-command.js';
import {parseScope, ScopeError, SCOPES, settingsPath, type Places, type Scope} from '../hook/scopes.js';
import {
	formatSettings,
	isLink,
	readBackup,
	readSettings,
	removeBackup,
	removeSettings,
	SettingsFileError,
	writeSettingsAtomic,
	type Backup,
	type BackupPolicy,
	type SettingsText,
} from '../hook/settings-file.js';
import {
	findOurHooks,
	HOOK_EVENTS,
	installHooks,
	NEVER_HOOKED,
	SettingsShapeError,
	uninstallHooks,
	type EventChange,
	type MergeResult,
} from '../hook/settings-merge.js';
import {probeHealth, probeTelemetry, spoolStatus, type TelemetrySeen} from '../hook/status.js';
import {
	envBlock,
	foreignTelemetry,
	installTelemetry,
	isTelemetryKey,
	maskSettingsText,
	ourTelemetry,
	shownValue,
	telemetryEnv,
	uninstallTelemetry,
	type Found,
} from '../hook/telemetry-env.js';
import {diffLines} from '../hook/text-diff.js';
import {TransportError} from '../hook/http-hook.js';
import {
	httpEntryLines,
	httpEntryOf,
	httpServerWarnings,
	installedHooks,
	planTransport,
} from './hooks-transport.js';

export interface HooksOptions {
	scope?: string;
	forwarder?: string;
	dryRun?: boolean;
	/** Also write the telemetry variables (install). */
	telemetry?: boolean;
	/** `command` (default) or `http` (install). */
	transport?: string;
	/** Install http hooks even when no server answers. */
	force?: boolean;
}

/** Where the command looks and writes; tests pass temporary places. */
export interface HooksContext extends Places {
	out: (text: string) => void;
	err: (text: string) => void;
}

function defaultContext(): HooksContext {
	return {
		home: os.homedir(),
		cwd: process.cwd(),
		env: process.env,
		out: (text) => process.stdout.write(text),
		err: (text) => process.stderr.write(text),
	};
}

const USAGE =
	'usage: mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--transport command|http [--force]] [--telemetry] [--dry-run]';

/**
 * What the command prints carries text from settings files (commands, event names, the diff, parse
 * errors), and a project's file comes with the repository: control characters are shown, never
 * acted on. Line breaks and tabs stay as layout.
 */
function terminalSafe(text: string): string {
	return text
		.split('\n')
		.map((line) => line.split('\t').map(showControls).join('\t'))
		.join('\n');
}

export async function runHooks(
	config: Config,
	sub: string | undefined,
	options: HooksOptions = {},
	unsafe: HooksContext = defaultContext(),
): Promise<number> {
	const context: HooksContext = {
		...unsafe,
		out: (text) => unsafe.out(terminalSafe(text)),
		err: (text) => unsafe.err(terminalSafe(text)),
	};
	const fail = (message: string, code: number): number => {
		context.err(`mpm-tui hooks: ${message}\n`);
		return code;
	};
	try {
		switch (sub) {
			case 'install': {
				const scope = parseScope(options.scope);
				if (options.telemetry && scope === 'project') return fail(PROJECT_TELEMETRY, 2);
				return await install(scope, options, context, config);
			}
			case 'uninstall':
				return uninstall(parseScope(options.scope), options, context, config);
			case 'status':
				parseScope(options.scope);
				return await status(config, context);
			default:
				return fail(sub === undefined ? `which one?\n${USAGE}` : `unknown subcommand "${sub}"\n${USAGE}`, 2);
		}
	} catch (error) {
		if (error instanceof ScopeError || error instanceof ForwarderError || error instanceof TransportError)
			return fail(error.message, 2);
		if (error instanceof SettingsFileError) return fail(error.message, 1);
		throw error;
	}
}

/** Runs `apply` on the file's content; a shape it cannot work with becomes an error naming the file. */
function merge<T = MergeResult>(file: SettingsText, apply: (value: unknown) => T): T {
	try {
		return apply(file.value);
	} catch (error) {
		if (error instanceof SettingsShapeError)
			throw new SettingsFileError(`${file.path}: ${error.message}; left untouched`);
		throw error;
	}
}

function names(changes: EventChange[], kind: EventChange['change']): string[] {
	return changes.filter((c) => c.change === kind).map((c) => c.event);
}

/** Shows the diff (dry run; headers variables and the token masked) or writes the file; returns the lines to print. */
function commit(
	file: SettingsText,
	after: string,
	backup: BackupPolicy,
	dryRun: boolean,
	context: HooksContext,
	token: string | undefined,
): string[] {
	if (dryRun) {
		context.out(
			maskSettingsText(
				diffLines(file.text, after, {
					before: file.exists ? file.path : `${file.path} (new file)`,
					after: `${file.path} (after)`,
				}),
				token,
			),
		);
		return ['dry run: nothing written'];
	}
	const written = writeSettingsAtomic(file.path, after, backup);
	const kept = readBackup(file.path);
	const note = written.backup
		? [`backup of the file before mpm-tui's hooks: ${written.backup}`]
		: kept
			? [`backup of the file before mpm-tui's hooks kept: ${kept.path}`]
			: [];
	return [`wrote ${written.written}`, ...note];
}

/** The forwarder for a scope: absolute paths of this machine, or for the project scope (a file shared with the repository) the forwarder on PATH. */
function forwarderFor(
	scope: Scope,
	requested: string | undefined,
	envPath: string,
): {label: string; command: string; reason: string} {
	if (scope !== 'project') {
		const choice = chooseForwarder(requested, envPath);
		return {label: choice.kind, command: choice.command, reason: choice.reason};
	}
	const kind = parseForwarderOption(requested);
	const which = kind
		? `${PATH_BINS[kind]} from PATH`
		: `${PATH_BINS.sh} (sh + curl) from PATH, else ${PATH_BINS.node} (Node)`;
	return {
		label: 'from PATH',
		command: portableCommand(kind),
		reason: `${which}: .claude/settings.json is shared with the repository, so the command names no path of this machine`,
	};
}

/** What a shared (project) install means for teammates and for this machine. */
function sharedNotes(command: string, envPath: string): string[] {
	const target = portableTarget(command, envPath);
	return [
		'shared:    every machine that checks out the repository runs the forwarder from its own PATH: install mpm-tui there (npm i -g mpm-tui).',
		'           Where it is not installed the hooks read their input and exit 0: nothing is shown in Claude Code. For hooks on this machine only, use --scope local.',
		target
			? `here:      ${target.path} (the ${target.kind} forwarder, from PATH)`
			: `WARNING:   neither ${PATH_BINS.sh} nor ${PATH_BINS.node} is on PATH here, so on this machine these hooks do nothing: npm i -g mpm-tui (or npm link in a checkout of mpm-tui), or use --scope local instead`,
	];
}

/** Why `--telemetry` is refused for the project scope. */
const PROJECT_TELEMETRY =
	"--telemetry is not written to the project scope: .claude/settings.json is shared with the repository, and its env block would send every teammate's Claude Code telemetry to this machine's address (and carry the token, if one is set). Use --scope local (.claude/settings.local.json, this machine only) or --scope user.";

/** The server telemetry goes to: the URL mpm-tui's clients use (http://host:port, or --connect). */
function telemetryFor(config: Config): Map<string, string> {
	return telemetryEnv(config.url, config.token);
}

function listFound(found: Found[]): string {
	return found.map((f) => `${f.key}=${shownValue(f.key, f.value)}`).join(', ');
}

/**
 * Telemetry configurations that are not ours, wherever Claude Code would see them next to the
 * chosen file: the file itself, the other scopes' files (Claude Code merges their env blocks, a key
 * in one overriding another) and the environment this command runs in (a shell export reaches
 * Claude Code too, and the settings' env block would override it).
 */
function otherTelemetry(
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

async function install(
	scope: Scope,
	options: HooksOptions,
	context: HooksContext,
	config: Config,
): Promise<number> {
	const envPath = context.env.PATH ?? '';
	const choice = forwarderFor(scope, options.forwarder, envPath);
	const plan = await planTransport(config, scope, options, context.env);
	if (!plan.ok) {
		context.err(`mpm-tui hooks: ${plan.error}\n`);
		return 1;
	}
	const file = readSettings(settingsPath(scope, context));
	const hooked = merge(file, (value) => installHooks(value, choice.command, undefined, undefined, plan.http));
	const lines = [
		`forwarder: ${choice.label}: ${choice.reason}`,
		`command:   ${choice.command}`,
		...plan.lines,
	];
	const wanted = telemetryFor(config);
	let result = hooked;
	let telemetryLines: string[] = [];
	if (options.telemetry) {
		const others = merge(file, () => otherTelemetry(scope, file, wanted, context));
		if (others.length > 0) {
			telemetryLines = [
				'telemetry: NOT added: a telemetry configuration is already there, and mpm-tui never overrides one:',
				...others.map((o) => `           ${o.where}: ${listFound(o.found)}`),
				`           To send Claude Code's telemetry to mpm-tui instead, remove those variables and run this again; or point your own setup at ${config.url} (OTLP over HTTP with JSON: OTEL_EXPORTER_OTLP_PROTOCOL=http/json).`,
			];
		} else {
			const added = merge(file, () => installTelemetry(hooked.settings, wanted));
			result = {settings: added.settings, changes: hooked.changes, changed: hooked.changed || added.changed};
			telemetryLines =
				added.keys.length > 0
					? [
							`telemetry: ${added.keys.map((k) => `${k}=${shownValue(k, wanted.get(k))}`).join(', ')}`,
							`           Claude Code sessions started from now on send their telemetry to ${config.url}; restart running ones.`,
						]
					: [`telemetry: already set for ${config.url}`];
		}
	}
	const notes = scope === 'project' ? sharedNotes(choice.command, envPath) : [];
	if (!result.changed) {
		lines.push(
			`already installed in ${file.path} (${scope} scope): nothing changed`,
			...telemetryLines,
			...notes,
		);
		context.out(`${lines.join('\n')}\n`);
		return 0;
	}
	for (const kind of ['added', 'updated'] as const) {
		const list = names(result.changes, kind);
		if (list.length > 0) lines.push(`${kind}:${' '.repeat(9 - kind.length)}${list.join(', ')}`);
	}
	for (const event of names(result.changes, 'removed'))
		lines.push(
			`removed:  ${event}: ${NEVER_HOOKED.get(event) ?? 'not an event mpm-tui hooks'}, so mpm-tui must not be on it`,
		);
	lines.push(...telemetryLines);
	// The backup keeps the file as it was before our hooks and variables: it is taken when the file
	// holds none of ours yet (or there is no backup), never from a file that already has them.
	const pristine = findOurHooks(file.value).length === 0 && ourTelemetry(file.value, wanted).length === 0;
	const backup: BackupPolicy = pristine || readBackup(file.path) === null ? 'write' : 'keep';
	lines.push(
		...commit(
			file,
			formatSettings(result.settings, file),
			backup,
			options.dryRun ?? false,
			context,
			config.token,
		),
	);
	if (!options.dryRun)
		lines.push(`installed in ${file.path} (${scope} scope). Start the monitor with: mpm-tui`);
	lines.push(...notes);
	for (const other of otherScopesWithOurs(scope, context)) {
		lines.push(
			`note: also installed in ${other.path} (${other.scope} scope): Claude Code will run the forwarder twice per event; remove one with mpm-tui hooks uninstall --scope ${other.scope}`,
		);
	}
	context.out(`${lines.join('\n')}\n`);
	return 0;
}

function otherScopesWithOurs(scope: Scope, context: HooksContext): Array<{scope: Scope; path: string}> {
	const found: Array<{scope: Scope; path: string}> = [];
	for (const other of SCOPES) {
		if (other === scope) continue;
		const where = settingsPath(other, context);
		try {
			if (findOurHooks(readSettings(where).value).length > 0) found.push({scope: other, path: where});
		} catch {
			// Unreadable: `hooks status` reports it.
		}
	}
	return found;
}

function uninstall(scope: Scope, options: HooksOptions, context: HooksContext, config: Config): number {
	const file = readSettings(settingsPath(scope, context));
	if (!file.exists) {
		context.out(`no settings file at ${file.path} (${scope} scope): nothing to remove\n`);
		return 0;
	}
	const wanted = telemetryFor(config);
	const unhooked = merge(file, uninstallHooks);
	const untold = merge(file, () => {
		envBlock(unhooked.settings);
		return uninstallTelemetry(unhooked.settings, wanted);
	});
	const result: MergeResult = {
		settings: untold.settings,
		changes: unhooked.changes,
		changed: unhooked.changed || untold.changed,
	};
	const kept = changedTelemetry(file, untold.settings, wanted);
	const keptLines = kept.map(
		(f) =>
			`kept:         ${f.key}=${shownValue(f.key, f.value)}: not the value mpm-tui writes for ${config.url} (changed since the install, or written for another port or token); remove it by hand if it is not yours`,
	);
	if (!result.changed) {
		context.out(
			`${[`no mpm-tui hooks or telemetry variables in ${file.path} (${scope} scope): nothing changed`, ...keptLines].join('\n')}\n`,
		);
		return 0;
	}
	const lines: string[] = [];
	if (unhooked.changed) lines.push(`removed from: ${names(result.changes, 'removed').join(', ')}`);
	if (untold.changed) lines.push(`removed env:  ${untold.keys.join(', ')}`);
	lines.push(...keptLines);
	lines.push(...giveBack(file, result, options.dryRun ?? false, context, wanted, config.token));
	context.out(`${lines.join('\n')}\n`);
	return 0;
}

/**
 * Variables with the names mpm-tui writes that stay after the uninstall because their value is not
 * ours, leaving out those the file held before the install (the backup says so): the user's own.
 */
function changedTelemetry(file: SettingsText, after: unknown, wanted: ReadonlyMap<string, string>): Found[] {
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

/** A backup that holds none of our hooks or variables: the file as it was before mpm-tui. */
function originalBackup(file: SettingsText, wanted: ReadonlyMap<string, string>): Backup | null {
	const backup = readBackup(file.path);
	if (!backup || backup.value === undefined) return backup;
	return findOurHooks(backup.value).length === 0 && ourTelemetry(backup.value, wanted).length === 0
		? backup
		: null;
}

/**
 * Writes the file without our hooks and variables. When nothing else in it changed since the
 * install (the result is the backup's content, or installing into the backup gives the file), the
 * backup's own bytes go back, formatting and all, and the backup is removed; a file with nothing but
 * ours and no backup (the install created it) is removed. Otherwise the result is written and the
 * backup of the original kept.
 */
function giveBack(
	file: SettingsText,
	result: MergeResult,
	dryRun: boolean,
	context: HooksContext,
	wanted: ReadonlyMap<string, string>,
	token: string | undefined,
): string[] {
	const backup = originalBackup(file, wanted);
	const same = (value: unknown) => JSON.stringify(value) === JSON.stringify(result.settings);
	if (
		backup &&
		backup.value !== undefined &&
		(same(backup.value) || installedFrom(backup.value, file.value, wanted))
	) {
		if (dryRun) {
			context.out(
				maskSettingsText(
					diffLines(file.text, backup.bytes.toString('utf8'), {
						before: file.path,
						after: `${file.path} (from ${backup.path})`,
					}),
					token,
				),
			);
			return ['dry run: nothing written'];
		}
		const {written} = writeSettingsAtomic(file.path, backup.bytes, 'keep');
		removeBackup(file.path);
		return [
			`restored ${written} byte for byte from ${backup.path} (the file before mpm-tui's hooks; nothing else had changed), and removed the backup`,
		];
	}
	if (!backup && same({}) && !isLink(file.path)) {
		if (dryRun) {
			context.out(
				maskSettingsText(
					diffLines(file.text, '', {before: file.path, after: `${file.path} (removed)`}),
					token,
				),
			);
			return ['dry run: nothing written'];
		}
		removeSettings(file.path);
		// A backup taken of a file that already held ours is no original: it goes with the file.
		removeBackup(file.path);
		return [
			`removed ${file.path}: it held nothing but mpm-tui's hooks and variables, and no backup says it existed before the install`,
		];
	}
	const lines = commit(
		file,
		formatSettings(result.settings, file),
		backup ? 'keep' : 'write',
		dryRun,
		context,
		token,
	);
	if (backup && !dryRun)
		lines.push(
			"the file had changed since the install: rewritten without mpm-tui's hooks and variables rather than restored from the backup",
		);
	return lines;
}

/** Installing our hooks (with the command the file has) and the variables it holds with our values into `original` gives exactly `current`: nothing else was edited. */
function installedFrom(original: unknown, current: unknown, wanted: ReadonlyMap<string, string>): boolean {
	const found = findOurHooks(current);
	const ours = found.find((h) => h.type === 'command');
	const http = found.find((h) => h.type === 'http');
	try {
		const hooked =
			found.length > 0
				? installHooks(original, ours?.command ?? '', ours?.timeout, undefined, http && httpEntryOf(http))
						.settings
				: original;
		const present = new Map(ourTelemetry(current, wanted).map((key) => [key, wanted.get(key)!]));
		if (found.length === 0 && present.size === 0) return false;
		return JSON.stringify(installTelemetry(hooked, present).settings) === JSON.stringify(current);
	} catch {
		return false;
	}
}

function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Whether the file's env block sends Claude Code's telemetry here, elsewhere, or not at all. */
function telemetryStatus(
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

function scopeStatus(
	scope: Scope,
	context: HooksContext,
	wanted: ReadonlyMap<string, string>,
	url: string,
): string[] {
	const lines = hookStatus(scope, context);
	try {
		lines.push(...telemetryStatus(scope, readSettings(settingsPath(scope, context)).value, wanted, url));
	} catch {
		// Unreadable: hookStatus said so.
	}
	return lines;
}

function hookStatus(scope: Scope, context: HooksContext): string[] {
	const where = settingsPath(scope, context);
	const label = `${scope.padEnd(8)}${where}`;
	let file: SettingsText;
	try {
		file = readSettings(where);
	} catch (error) {
		return [`${label}: ${(error as Error).message}`];
	}
	if (!file.exists) return [`${label}: not installed (no settings file)`];
	const ours = findOurHooks(file.value);
	if (ours.length === 0) return [`${label}: not installed`];
	const hooked = new Set(ours.map((h) => h.event));
	const expected = HOOK_EVENTS.map((e) => e.event);
	const lines = [
		`${label}: ${expected.filter((e) => hooked.has(e)).length} of ${expected.length} events hooked`,
	];
	const missing = expected.filter((e) => !hooked.has(e));
	if (missing.length > 0)
		lines.push(`          missing: ${missing.join(', ')} (run mpm-tui hooks install --scope ${scope})`);
	const extra = [...hooked].filter((e) => !expected.includes(e) && !NEVER_HOOKED.has(e));
	if (extra.length > 0) lines.push(`          also on: ${extra.join(', ')}`);
	for (const event of [...hooked].filter((e) => NEVER_HOOKED.has(e))) {
		lines.push(
			`          WARNING: on ${event}: ${NEVER_HOOKED.get(event)}, so every message waits for the forwarder; mpm-tui hooks install --scope ${scope} removes it (or uninstall --scope ${scope})`,
		);
	}
	lines.push(...httpEntryLines(ours));
	for (const command of new Set(ours.filter((h) => h.type === 'command').map((h) => h.command))) {
		lines.push(`          command: ${command}`);
		if (isPortableCommand(command)) {
			const target = portableTarget(command, context.env.PATH ?? '');
			lines.push(
				target
					? `          runs:    ${target.path} (from PATH)`
					: `          runs:    nothing on this machine: neither ${PATH_BINS.sh} nor ${PATH_BINS.node} is on PATH (npm i -g mpm-tui, or npm link in a checkout of mpm-tui)`,
			);
			continue;
		}
		const paths = commandPaths(command);
		const broken = paths.filter((p) => !p.exists);
		lines.push(
			broken.length === 0
				? '          paths:   all exist'
				: `          paths:   MISSING ${broken.map((p) => p.path).join(', ')} (reinstall to repair)`,
		);
		if (scope === 'project') {
			lines.push(
				"          note:    paths of this machine in a file shared with the repository point nowhere on a teammate's machine: mpm-tui hooks install --scope project writes a command that works wherever mpm-tui is installed (or move to --scope local)",
			);
		}
	}
	const counts = new Map<string, number>();
	for (const h of ours) counts.set(h.event, (counts.get(h.event) ?? 0) + 1);
	const doubled = [...counts].filter(([, n]) => n > 1).map(([e]) => e);
	if (doubled.length > 0)
		lines.push(`          more than one entry on: ${doubled.join(', ')} (reinstall to tidy)`);
	return lines;
}

/** The window `hooks status` counts telemetry in. */
const TELEMETRY_WINDOW_MS = 10 * 60_000;

function telemetrySeenLines(seen: TelemetrySeen | null): string[] {
	if (seen === null) return ['otel    the server does not report telemetry (an older mpm-tui?)'];
	const since = `${seen.logRecords} log record(s) and ${seen.metricRecords} metrics export(s) since the server started`;
	if (seen.logRecords === 0 && seen.metricRecords === 0)
		return [
			'otel    none yet: no telemetry has arrived (mpm-tui hooks install --telemetry --scope user|local, then start a new Claude Code session)',
		];
	if (seen.sessions.length === 0)
		return [`otel    ${since}; none in the last ${TELEMETRY_WINDOW_MS / 60_000} minutes`];
	return [
		`otel    ${since}; in the last ${TELEMETRY_WINDOW_MS / 60_000} minutes:`,
		...seen.sessions.map((s) => `          session ${s.session}: ${s.records} record(s), last at ${s.last}`),
	];
}

async function status(config: Config, context: HooksContext): Promise<number> {
	const lines: string[] = [];
	const wanted = telemetryFor(config);
	for (const scope of SCOPES) lines.push(...scopeStatus(scope, context, wanted, config.url));
	const health = await probeHealth(config.url, config.token);
	lines.push(
		health.ok
			? `server  ${config.url}: answering (${health.service} ${health.version}${health.pid ? `, pid ${health.pid}` : ''})`
			: `server  ${config.url}: not answering (${health.error}); events are spooled until it runs`,
	);
	lines.push(...(await httpServerWarnings(installedHooks(context), config, health)));
	if (health.ok)
		lines.push(...telemetrySeenLines(await probeTelemetry(config.url, config.token, TELEMETRY_WINDOW_MS)));
	const spool = spoolStatus(config.spool);
	lines.push(
		`spool   ${spool.path}: ${spool.lines} event(s) waiting (${formatBytes(spool.bytes)})${spool.dropped ? `, ${spool.dropped} dropped because the spool was full` : ''}`,
	);
	const built = (p: string) => `${p}${fs.existsSync(p) ? '' : ' (MISSING: run npm run build)'}`;
	lines.push(`built   ${built(forwarderFiles.sh)}`, `        ${built(forwarderFiles.node)}`);
	context.out(`${lines.join('\n')}\n`);
	return 0;
}
