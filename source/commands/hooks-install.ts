/**
 * `mpm-tui hooks install`: the forwarder's command for the scope, the hooks (and with
 * `--telemetry` the variables) merged into the scope's settings file, and what that means.
 */
import type {Config} from '../config.js';
import {chooseForwarder} from '../hook/forwarder-command.js';
import {excludeFromGit} from '../hook/git-exclude.js';
import {parseForwarderOption, PATH_BINS, portableCommand, portableTarget} from '../hook/portable-command.js';
import {SCOPES, settingsPath, type Scope} from '../hook/scopes.js';
import {formatSettings, readBackup, readSettings, type BackupPolicy} from '../hook/settings-file.js';
import {findOurHooks, installHooks, NEVER_HOOKED} from '../hook/settings-merge.js';
import {installTelemetry, ourTelemetry, shownValue} from '../hook/telemetry-env.js';
import {planTransport} from './hooks-transport.js';
import type {HooksContext, HooksOptions} from './hooks-context.js';
import {listFound, otherTelemetry, telemetryFor} from './hooks-telemetry.js';
import {commit, merge, names} from './hooks-write.js';

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

export async function install(
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
			wanted,
			options.force ?? false,
		),
	);
	if (!options.dryRun) {
		lines.push(`installed in ${file.path} (${scope} scope). Start the monitor with: mpm-tui`);
		// Created here, the local file is not ignored by git as Claude Code's own would be.
		if (scope === 'local' && !file.exists) lines.push(...excludeFromGit(file.path, context.env));
	}
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
