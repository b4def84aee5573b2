/**
 * The steps `mpm-tui hooks install` and `uninstall` share: a merge whose shape errors name the
 * file, the write (or, for a dry run, the diff with the token masked), and the events of a change
 * list.
 */
import {
	readBackup,
	SettingsFileError,
	writeSettingsAtomic,
	type Backup,
	type BackupPolicy,
	type SettingsText,
} from '../hook/settings-file.js';
import {
	findOurHooks,
	SettingsShapeError,
	type EventChange,
	type MergeResult,
} from '../hook/settings-merge.js';
import {maskSettingsText, ourTelemetry} from '../hook/telemetry-env.js';
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

/** A backup that holds none of our hooks or variables: the file as it was before mpm-tui. */
export function isOriginal(backup: Backup, wanted: ReadonlyMap<string, string>): boolean {
	return (
		backup.value !== undefined &&
		findOurHooks(backup.value).length === 0 &&
		ourTelemetry(backup.value, wanted).length === 0
	);
}

/** Shows the diff (dry run; headers variables and the token masked) or writes the file; returns the lines to print. */
export function commit(
	file: SettingsText,
	after: string,
	backup: BackupPolicy,
	dryRun: boolean,
	context: HooksContext,
	token: string | undefined,
	wanted: ReadonlyMap<string, string>,
	force = false,
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
	const written = writeSettingsAtomic(file.path, after, backup, force);
	const wrote = written.readOnly
		? `wrote ${written.written} although it is read-only (--force); it stays read-only`
		: `wrote ${written.written}`;
	const kept = readBackup(file.path);
	if (!kept) return [wrote];
	// Named for what it holds: only a backup without any of ours is the file before mpm-tui.
	const what = isOriginal(kept, wanted)
		? "backup of the file before mpm-tui's hooks"
		: "backup of the file as it was (it already held mpm-tui's hooks or variables, so it is no original)";
	return [wrote, `${what}${written.backup ? '' : ' kept'}: ${kept.path}`];
}
