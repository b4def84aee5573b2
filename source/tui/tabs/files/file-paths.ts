/**
 * Where the Files tab's paths are shown from: one root for every row — the cwd of the sessions
 * on screen when they share one (always so when scoped to a session), else the directory their
 * cwds share — so two sessions' files never read the same (`.` twice). A path outside the root
 * is shown whole (`~/…` under a home directory). Directories that were only searched end in `/`.
 */
import {commonRoot, homeShort, relativeTo, type FileEntry} from '../../../core/views/index.js';

export interface PlacedFiles {
	/** The files with `display` relative to `root`. */
	rows: readonly FileEntry[];
	/** What the paths are relative to, as shown (`~/app`), or null (every path is whole). */
	root: string | null;
	/** The files come from sessions with different cwds: the table shows each row's session. */
	manyRoots: boolean;
}

function shownFrom(file: FileEntry, root: string | null): string {
	const relative = root === null ? file.path : relativeTo(file.path, root);
	const shown = relative === file.path ? homeShort(file.path) : relative;
	if (!file.directory) return shown;
	return shown.endsWith('/') || shown.endsWith('\\') ? shown : `${shown}/`;
}

export function placeFiles(files: readonly FileEntry[]): PlacedFiles {
	const cwds = new Set<string>();
	for (const file of files) if (file.cwd !== null) cwds.add(file.cwd);
	const root = cwds.size === 0 ? null : cwds.size === 1 ? [...cwds][0] : commonRoot(cwds);
	return {
		rows: files.map((file) => ({...file, display: shownFrom(file, root)})),
		root: root === null ? null : homeShort(root),
		manyRoots: cwds.size > 1,
	};
}
