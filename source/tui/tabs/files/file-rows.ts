/**
 * The Files tab's rows: the views snapshot's files narrowed by the tab's search.
 */
import type {FileEntry} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';

export function fileText(r: FileEntry): string {
	return `${r.display} ${r.lastTool} ${r.lastAgent}`;
}

const memo = rowMemo<FileEntry>();

export function fileRows(state: UiState): readonly FileEntry[] {
	const base = state.shown.views.files();
	const query = searchOf(state, 'files');
	return memo(base, query, () => fuzzyFilter(base, query, fileText));
}
