/**
 * The Sessions tab's rows: the views snapshot's sessions narrowed by the tab's search.
 */
import {shortSession} from '../../../core/search.js';
import type {SessionEntry} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';

export function sessionText(r: SessionEntry): string {
	const background = r.background.map((task) => task.description).join(' ');
	return `${shortSession(r.id)} ${r.state} ${r.cwd ?? ''} ${r.lastPrompt ?? ''} ${r.waitMessage ?? ''} ${r.failure ?? ''} ${background} ${r.id}`;
}

const memo = rowMemo<SessionEntry>();

export function sessionRows(state: UiState): readonly SessionEntry[] {
	const base = state.shown.views.sessions();
	const query = searchOf(state, 'sessions');
	return memo(base, query, () => fuzzyFilter(base, query, sessionText));
}
