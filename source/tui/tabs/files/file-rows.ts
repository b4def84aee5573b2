/**
 * The Files tab's rows: the views snapshot's files, their paths shown from one root
 * (`file-paths.ts`), narrowed by the tab's search.
 */
import {shortSession} from '../../../core/search.js';
import type {FileEntry} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {agentLabel, fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';
import {placeFiles, type PlacedFiles} from './file-paths.js';

export function fileText(r: FileEntry): string {
	return `${r.display} ${r.lastTool} ${agentLabel(r.lastAgent, r.lastAgentType)} ${shortSession(r.sessions.at(-1) ?? null)}`;
}

let placedBase: readonly FileEntry[] | null = null;
let placed: PlacedFiles = {rows: [], root: null, manyRoots: false};

/** The files on screen (before the search) with their paths placed; computed once per snapshot. */
export function placedFiles(state: UiState): PlacedFiles {
	const base = state.shown.views.files();
	if (base !== placedBase) {
		placed = placeFiles(base);
		placedBase = base;
	}
	return placed;
}

const memo = rowMemo<FileEntry>();

export function fileRows(state: UiState): readonly FileEntry[] {
	const base = placedFiles(state).rows;
	const query = searchOf(state, 'files');
	return memo(base, query, () => fuzzyFilter(base, query, fileText));
}
