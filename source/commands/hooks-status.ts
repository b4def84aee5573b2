/**
 * `mpm-tui hooks status`: per scope, the hooks and telemetry variables installed; the server, the
 * telemetry it has seen, the spool and the built forwarders.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {commandPaths, forwarderFiles} from '../hook/forwarder-command.js';
import {isPortableCommand, PATH_BINS, portableTarget} from '../hook/portable-command.js';
import {SCOPES, settingsPath, type Scope} from '../hook/scopes.js';
import {readSettings, type SettingsText} from '../hook/settings-file.js';
import {serverOf} from '../hook/http-hook.js';
import {findOurHooks, HOOK_EVENTS, NEVER_HOOKED} from '../hook/settings-merge.js';
import {probeHealth, probeTelemetry, spoolStatus, type TelemetrySeen} from '../hook/status.js';
import {httpEntryLines, httpServerWarnings, installedHooks} from './hooks-transport.js';
import type {HooksContext} from './hooks-context.js';
import {telemetryFor, telemetryStatus} from './hooks-telemetry.js';

function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
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

function telemetrySeenLines(seen: TelemetrySeen | {refused: string} | null): string[] {
	if (seen === null) return ['otel    the server does not report telemetry (an older mpm-tui?)'];
	if ('refused' in seen)
		return [
			`otel    not known: ${seen.refused}; set --token or MPM_TUI_TOKEN to the server's token to see what telemetry it has received`,
		];
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

export async function status(config: Config, context: HooksContext): Promise<number> {
	const lines: string[] = [];
	const wanted = telemetryFor(config);
	for (const scope of SCOPES) lines.push(...scopeStatus(scope, context, wanted, config.url));
	const health = await probeHealth(config.url, config.token);
	const installed = installedHooks(context);
	// Only the forwarders (command hooks) spool; what http hooks post to a server that is down is lost.
	const server = serverOf(config.url);
	const posting = installed.some(({hooks}) =>
		hooks.some((h) => h.type === 'http' && h.url !== undefined && serverOf(h.url) === server),
	);
	const meanwhile = posting
		? "the forwarders' events (command hooks) are spooled until it runs; the http hooks' are lost (below)"
		: 'events are spooled until it runs';
	lines.push(
		health.ok
			? `server  ${config.url}: answering (${health.service} ${health.version}${health.pid ? `, pid ${health.pid}` : ''})${health.refused ? `; ${health.refused}` : ''}`
			: `server  ${config.url}: not answering (${health.error}); ${meanwhile}`,
	);
	lines.push(...(await httpServerWarnings(installed, config, health)));
	if (health.ok)
		lines.push(...telemetrySeenLines(await probeTelemetry(config.url, config.token, TELEMETRY_WINDOW_MS)));
	const spool = spoolStatus(config.spool);
	lines.push(
		`spool   ${spool.path}: ${spool.lines} event(s) waiting (${formatBytes(spool.bytes)})${spool.dropped ? `, ${spool.dropped} dropped because the spool was full` : ''}`,
	);
	if (spool.copies > 0)
		lines.push(
			`        and ${spool.copies} event(s) in stdin copies beside it (${formatBytes(spool.copyBytes)}; ${path.basename(spool.path)}.in-*, left by sh forwarders that were stopped): delivered when the server runs, not bounded by the spool's size limit`,
		);
	const built = (p: string) => `${p}${fs.existsSync(p) ? '' : ' (MISSING: run npm run build)'}`;
	lines.push(`built   ${built(forwarderFiles.sh)}`, `        ${built(forwarderFiles.node)}`);
	context.out(`${lines.join('\n')}\n`);
	return 0;
}
