/**
 * `mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--dry-run]`:
 * writes, removes and reports mpm-tui's entries in Claude Code's settings files. The merge logic is
 * in source/hook/settings-merge.ts, the file handling (and the backup uninstall gives back) in
 * source/hook/settings-file.ts, the project scope's command for any machine in
 * source/hook/portable-command.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import type {Config} from '../config.js';
import {showControls} from '../core/terminal-safe.js';
import {chooseForwarder, commandPaths, ForwarderError, forwarderFiles} from '../hook/forwarder-command.js';
import {isPortableCommand, parseForwarderOption, PATH_BINS, portableCommand, portableTarget} from '../hook/portable-command.js';
import {parseScope, ScopeError, SCOPES, settingsPath, type Places, type Scope} from '../hook/scopes.js';
import {formatSettings, isLink, readBackup, readSettings, removeBackup, removeSettings, SettingsFileError, writeSettingsAtomic, type BackupPolicy, type SettingsText} from '../hook/settings-file.js';
import {findOurHooks, HOOK_EVENTS, installHooks, NEVER_HOOKED, SettingsShapeError, uninstallHooks, type EventChange, type MergeResult} from '../hook/settings-merge.js';
import {probeHealth, spoolStatus} from '../hook/status.js';
import {diffLines} from '../hook/text-diff.js';

export interface HooksOptions {
	scope?: string;
	forwarder?: string;
	dryRun?: boolean;
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
		out: text => process.stdout.write(text),
		err: text => process.stderr.write(text),
	};
}

const USAGE = 'usage: mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--dry-run]';

/**
 * What the command prints carries text from settings files (commands, event names, the diff, parse
 * errors), and a project's file comes with the repository: control characters are shown, never
 * acted on. Line breaks and tabs stay as layout.
 */
function terminalSafe(text: string): string {
	return text
		.split('\n')
		.map(line => line.split('\t').map(showControls).join('\t'))
		.join('\n');
}

export async function runHooks(config: Config, sub: string | undefined, options: HooksOptions = {}, unsafe: HooksContext = defaultContext()): Promise<number> {
	const context: HooksContext = {...unsafe, out: text => unsafe.out(terminalSafe(text)), err: text => unsafe.err(terminalSafe(text))};
	const fail = (message: string, code: number): number => {
		context.err(`mpm-tui hooks: ${message}\n`);
		return code;
	};
	try {
		switch (sub) {
			case 'install':
				return install(parseScope(options.scope), options, context);
			case 'uninstall':
				return uninstall(parseScope(options.scope), options, context);
			case 'status':
				parseScope(options.scope);
				return await status(config, context);
			default:
				return fail(sub === undefined ? `which one?\n${USAGE}` : `unknown subcommand "${sub}"\n${USAGE}`, 2);
		}
	} catch (error) {
		if (error instanceof ScopeError || error instanceof ForwarderError) return fail(error.message, 2);
		if (error instanceof SettingsFileError) return fail(error.message, 1);
		throw error;
	}
}

function merge(file: SettingsText, apply: (value: unknown) => MergeResult): MergeResult {
	try {
		return apply(file.value);
	} catch (error) {
		if (error instanceof SettingsShapeError) throw new SettingsFileError(`${file.path}: ${error.message}; left untouched`);
		throw error;
	}
}

function names(changes: EventChange[], kind: EventChange['change']): string[] {
	return changes.filter(c => c.change === kind).map(c => c.event);
}

/** Shows the diff (dry run) or writes the file; returns the lines to print. */
function commit(file: SettingsText, after: string, backup: BackupPolicy, dryRun: boolean, context: HooksContext): string[] {
	if (dryRun) {
		context.out(diffLines(file.text, after, {before: file.exists ? file.path : `${file.path} (new file)`, after: `${file.path} (after)`}));
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
function forwarderFor(scope: Scope, requested: string | undefined, envPath: string): {label: string; command: string; reason: string} {
	if (scope !== 'project') {
		const choice = chooseForwarder(requested, envPath);
		return {label: choice.kind, command: choice.command, reason: choice.reason};
	}
	const kind = parseForwarderOption(requested);
	const which = kind ? `${PATH_BINS[kind]} from PATH` : `${PATH_BINS.sh} (sh + curl) from PATH, else ${PATH_BINS.node} (Node)`;
	return {label: 'from PATH', command: portableCommand(kind), reason: `${which}: .claude/settings.json is shared with the repository, so the command names no path of this machine`};
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

function install(scope: Scope, options: HooksOptions, context: HooksContext): number {
	const envPath = context.env.PATH ?? '';
	const choice = forwarderFor(scope, options.forwarder, envPath);
	const file = readSettings(settingsPath(scope, context));
	const result = merge(file, value => installHooks(value, choice.command));
	const lines = [`forwarder: ${choice.label}: ${choice.reason}`, `command:   ${choice.command}`];
	const notes = scope === 'project' ? sharedNotes(choice.command, envPath) : [];
	if (!result.changed) {
		lines.push(`already installed in ${file.path} (${scope} scope): nothing changed`, ...notes);
		context.out(`${lines.join('\n')}\n`);
		return 0;
	}
	for (const kind of ['added', 'updated'] as const) {
		const list = names(result.changes, kind);
		if (list.length > 0) lines.push(`${kind}:${' '.repeat(9 - kind.length)}${list.join(', ')}`);
	}
	for (const event of names(result.changes, 'removed')) lines.push(`removed:  ${event}: ${NEVER_HOOKED.get(event) ?? 'not an event mpm-tui hooks'}, so mpm-tui must not be on it`);
	// The backup keeps the file as it was before our hooks: it is taken when the file holds none of
	// ours yet (or there is no backup), never from a file that already has them.
	const pristine = findOurHooks(file.value).length === 0;
	const backup: BackupPolicy = pristine || readBackup(file.path) === null ? 'write' : 'keep';
	lines.push(...commit(file, formatSettings(result.settings, file), backup, options.dryRun ?? false, context));
	if (!options.dryRun) lines.push(`installed in ${file.path} (${scope} scope). Start the monitor with: mpm-tui`);
	lines.push(...notes);
	for (const other of otherScopesWithOurs(scope, context)) {
		lines.push(`note: also installed in ${other.path} (${other.scope} scope): Claude Code will run the forwarder twice per event; remove one with mpm-tui hooks uninstall --scope ${other.scope}`);
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

function uninstall(scope: Scope, options: HooksOptions, context: HooksContext): number {
	const file = readSettings(settingsPath(scope, context));
	if (!file.exists) {
		context.out(`no settings file at ${file.path} (${scope} scope): nothing to remove\n`);
		return 0;
	}
	const result = merge(file, uninstallHooks);
	if (!result.changed) {
		context.out(`no mpm-tui hooks in ${file.path} (${scope} scope): nothing changed\n`);
		return 0;
	}
	const lines = [`removed from: ${names(result.changes, 'removed').join(', ')}`];
	lines.push(...giveBack(file, result, options.dryRun ?? false, context));
	context.out(`${lines.join('\n')}\n`);
	return 0;
}

/**
 * Writes the file without our hooks. When nothing else in it changed since the install (the result
 * is the backup's content, or installing into the backup gives the file), the backup's own bytes go
 * back, formatting and all, and the backup is removed; a file with nothing but our hooks and no
 * backup (the install created it) is removed. Otherwise the result is written and the backup of
 * the original kept.
 */
function giveBack(file: SettingsText, result: MergeResult, dryRun: boolean, context: HooksContext): string[] {
	const backup = readBackup(file.path);
	const same = (value: unknown) => JSON.stringify(value) === JSON.stringify(result.settings);
	if (backup && backup.value !== undefined && (same(backup.value) || installedFrom(backup.value, file.value))) {
		if (dryRun) {
			context.out(diffLines(file.text, backup.bytes.toString('utf8'), {before: file.path, after: `${file.path} (from ${backup.path})`}));
			return ['dry run: nothing written'];
		}
		const {written} = writeSettingsAtomic(file.path, backup.bytes, 'keep');
		removeBackup(file.path);
		return [`restored ${written} byte for byte from ${backup.path} (the file before mpm-tui's hooks; nothing else had changed), and removed the backup`];
	}
	if (!backup && same({}) && !isLink(file.path)) {
		if (dryRun) {
			context.out(diffLines(file.text, '', {before: file.path, after: `${file.path} (removed)`}));
			return ['dry run: nothing written'];
		}
		removeSettings(file.path);
		return [`removed ${file.path}: it held nothing but mpm-tui's hooks, and no backup says it existed before the install`];
	}
	const lines = commit(file, formatSettings(result.settings, file), backup ? 'keep' : 'write', dryRun, context);
	if (backup && !dryRun) lines.push('the file had changed since the install: rewritten without mpm-tui\'s hooks rather than restored from the backup');
	return lines;
}

/** Installing our hooks (with the command the file has) into `original` gives exactly `current`: nothing else was edited. */
function installedFrom(original: unknown, current: unknown): boolean {
	const [ours] = findOurHooks(current);
	if (!ours) return false;
	try {
		return JSON.stringify(installHooks(original, ours.command, ours.timeout).settings) === JSON.stringify(current);
	} catch {
		return false;
	}
}

function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function scopeStatus(scope: Scope, context: HooksContext): string[] {
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
	const hooked = new Set(ours.map(h => h.event));
	const expected = HOOK_EVENTS.map(e => e.event);
	const lines = [`${label}: ${expected.filter(e => hooked.has(e)).length} of ${expected.length} events hooked`];
	const missing = expected.filter(e => !hooked.has(e));
	if (missing.length > 0) lines.push(`          missing: ${missing.join(', ')} (run mpm-tui hooks install --scope ${scope})`);
	const extra = [...hooked].filter(e => !expected.includes(e) && !NEVER_HOOKED.has(e));
	if (extra.length > 0) lines.push(`          also on: ${extra.join(', ')}`);
	for (const event of [...hooked].filter(e => NEVER_HOOKED.has(e))) {
		lines.push(`          WARNING: on ${event}: ${NEVER_HOOKED.get(event)}, so every message waits for the forwarder; mpm-tui hooks install --scope ${scope} removes it (or uninstall --scope ${scope})`);
	}
	for (const command of new Set(ours.map(h => h.command))) {
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
		const broken = paths.filter(p => !p.exists);
		lines.push(broken.length === 0 ? '          paths:   all exist' : `          paths:   MISSING ${broken.map(p => p.path).join(', ')} (reinstall to repair)`);
		if (scope === 'project') {
			lines.push('          note:    paths of this machine in a file shared with the repository point nowhere on a teammate\'s machine: mpm-tui hooks install --scope project writes a command that works wherever mpm-tui is installed (or move to --scope local)');
		}
	}
	const counts = new Map<string, number>();
	for (const h of ours) counts.set(h.event, (counts.get(h.event) ?? 0) + 1);
	const doubled = [...counts].filter(([, n]) => n > 1).map(([e]) => e);
	if (doubled.length > 0) lines.push(`          more than one entry on: ${doubled.join(', ')} (reinstall to tidy)`);
	return lines;
}

async function status(config: Config, context: HooksContext): Promise<number> {
	const lines: string[] = [];
	for (const scope of SCOPES) lines.push(...scopeStatus(scope, context));
	const health = await probeHealth(config.url, config.token);
	lines.push(
		health.ok
			? `server  ${config.url}: answering (${health.service} ${health.version}${health.pid ? `, pid ${health.pid}` : ''})`
			: `server  ${config.url}: not answering (${health.error}); events are spooled until it runs`,
	);
	const spool = spoolStatus(config.spool);
	lines.push(`spool   ${spool.path}: ${spool.lines} event(s) waiting (${formatBytes(spool.bytes)})${spool.dropped ? `, ${spool.dropped} dropped because the spool was full` : ''}`);
	const built = (p: string) => `${p}${fs.existsSync(p) ? '' : ' (MISSING: run npm run build)'}`;
	lines.push(`built   ${built(forwarderFiles.sh)}`, `        ${built(forwarderFiles.node)}`);
	context.out(`${lines.join('\n')}\n`);
	return 0;
}
