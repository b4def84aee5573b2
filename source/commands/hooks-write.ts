/**
 * The steps `mpm-tui hooks install` and `uninstall` share: a merge whose shape errors name the
 * file, the write (or, for a dry run, the diff with the token masked), and the events of a change
 * list.
 */
import {
	readBackup,
	SettingsFileError,
	writeSettingsAtomic,
	type BackupPolicy,
	type SettingsText,
} from '../hook/settings-file.js';
import {SettingsShapeError, type EventChange, type MergeResult} from '../hook/settings-merge.js';
import {maskSettingsText} from '../hook/telemetry-env.js';
import {diffLines} from '../hook/text-diff.js';
import type {HooksContext} from './hooks-context.js';

/** Runs `apply` on the file's content; a shape it cannot work with becomes an error naming the file. */
export function merge<T = MergeResult>(file: SettingsText, apply: (value: unknown) => T): T {
	try {
		return apply(file.value);
	} catch (error) {
		if (error instanceof SettingsShapeError)
			throw new SettingsFileError(`${file.path}: ${error.message}; left untouched`);
		throw error;
	}
}

export function names(changes: EventChange[], kind: EventChange['change']): string[] {
	return changes.filter((c) => c.change === kind).map((c) => c.event);
}

/** Shows the diff (dry run; headers variables and the token masked) or writes the file; returns the lines to print. */
export function commit(
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
