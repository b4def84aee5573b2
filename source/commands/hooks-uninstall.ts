/**
 * `mpm-tui hooks uninstall`: our hooks and variables out of the scope's settings file; the
 * backup's bytes given back when nothing else changed since the install.
 */
import type {Config} from '../config.js';
import {settingsPath, type Scope} from '../hook/scopes.js';
import {
	formatSettings,
	isLink,
	readBackup,
	readSettings,
	removeBackup,
	removeSettings,
	writeSettingsAtomic,
	type Backup,
	type SettingsText,
} from '../hook/settings-file.js';
import {findOurHooks, installHooks, uninstallHooks, type MergeResult} from '../hook/settings-merge.js';
import {
	envBlock,
	installTelemetry,
	maskSettingsText,
	ourTelemetry,
	shownValue,
	uninstallTelemetry,
} from '../hook/telemetry-env.js';
import {diffLines} from '../hook/text-diff.js';
import {httpEntryOf} from './hooks-transport.js';
import type {HooksContext, HooksOptions} from './hooks-context.js';
import {changedTelemetry, telemetryFor} from './hooks-telemetry.js';
import {commit, isOriginal, merge, names} from './hooks-write.js';

export function uninstall(
	scope: Scope,
	options: HooksOptions,
	context: HooksContext,
	config: Config,
): number {
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
	lines.push(
		...giveBack(file, result, options.dryRun ?? false, context, wanted, config.token, options.force ?? false),
	);
	context.out(`${lines.join('\n')}\n`);
	return 0;
}

/** A backup that holds none of our hooks or variables: the file as it was before mpm-tui. */
function originalBackup(file: SettingsText, wanted: ReadonlyMap<string, string>): Backup | null {
	const backup = readBackup(file.path);
	if (!backup || backup.value === undefined) return backup;
	return isOriginal(backup, wanted) ? backup : null;
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
	force: boolean,
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
		const {written, readOnly} = writeSettingsAtomic(file.path, backup.bytes, 'keep', force);
		removeBackup(file.path);
		return [
			`restored ${written} byte for byte from ${backup.path} (the file before mpm-tui's hooks; nothing else had changed), and removed the backup${readOnly ? '; it was read-only (--force) and stays so' : ''}`,
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
		removeSettings(file.path, force);
		// A backup taken of a file that already held ours is no original: it goes with the file.
		removeBackup(file.path);
		return [
			`removed ${file.path}: it held nothing but mpm-tui's hooks and variables, and no backup says it existed before the install`,
		];
	}
	// No backup is taken here: the file now holds mpm-tui's entries, so a copy of it would be no
	// original, and later installs keep an existing backup as if it were one.
	const lines = commit(
		file,
		formatSettings(result.settings, file),
		'keep',
		dryRun,
		context,
		token,
		wanted,
		force,
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
