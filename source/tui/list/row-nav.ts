/**
 * The reducer's part for the derived-view tabs (Tools, Agents, Files, Sessions): per-tab cursors,
 * Enter (a call's records, an agent's calls, a file's entry, scoping to a session), the tool
 * sort, the session scope, and switching tabs (each tab keeps its own search).
 */
import type {Predicate} from '../event-store/event-store.js';
import {interruptText, toolStatusWord, type ToolCall} from '../../core/views/index.js';
import {AGENTS_TAB, agentRows, FILES_TAB, fileRows, openedAgent, rowCount, SESSIONS_TAB, sessionRows, TOOLS_TAB, toolRows} from './rows.js';
import type {UiState} from '../app/ui-state.js';

function setCursor(state: UiState, cursor: number): UiState {
	const length = rowCount(state);
	const next = length === 0 ? 0 : Math.max(0, Math.min(length - 1, cursor));
	if (state.tab === AGENTS_TAB && state.openAgent) {
		return next === state.openAgent.cursor ? state : {...state, openAgent: {...state.openAgent, cursor: next}};
	}
	if (next === state.tabCursors[state.tab]) return state;
	const tabCursors = [...state.tabCursors];
	tabCursors[state.tab] = next;
	return {...state, tabCursors};
}

/** The cursor on the tab on screen. */
export function viewCursor(state: UiState): number {
	return state.tab === AGENTS_TAB && state.openAgent ? state.openAgent.cursor : state.tabCursors[state.tab] ?? 0;
}

export function viewMove(state: UiState, delta: number): UiState {
	return setCursor(state, viewCursor(state) + delta);
}

export function viewTop(state: UiState): UiState {
	return setCursor(state, 0);
}

export function viewBottom(state: UiState): UiState {
	return setCursor(state, rowCount(state) - 1);
}

/** `n`/`N`: the rows hold only matches, so the next match is the next row, wrapping around. */
export function viewNextMatch(state: UiState, delta: number): UiState {
	const length = rowCount(state);
	if (!state.search.applied || length === 0) return state;
	return setCursor(state, (viewCursor(state) + delta + length) % length);
}

function callDetail(state: UiState, call: ToolCall): UiState {
	const records = state.shown.views.recordsOf(call);
	const value = records.length === 0 ? call : records.length === 1 ? records[0] : records;
	const what = records.length === 0 ? 'no records kept, the call' : `${records.length} record${records.length === 1 ? '' : 's'}`;
	const why = call.status === 'interrupted' ? ` (${interruptText(call.interruptedBy)})` : '';
	const title = `${call.tool} ${call.target} · ${toolStatusWord(call)}${why} · ${what}`;
	return {...state, mode: 'detail', detail: {record: records[0] ?? null, value, title, scroll: 0, lines: 0}};
}

/** Enter on a derived-view tab. */
export function viewOpen(state: UiState): UiState {
	const cursor = viewCursor(state);
	switch (state.tab) {
		case TOOLS_TAB: {
			const call = toolRows(state)[cursor];
			return call ? callDetail(state, call) : state;
		}
		case AGENTS_TAB: {
			const opened = openedAgent(state);
			if (opened) {
				const call = opened.calls[cursor];
				return call ? callDetail(state, call) : state;
			}
			const agent = agentRows(state)[cursor];
			return agent ? {...state, openAgent: {key: agent.key, cursor: 0}} : state;
		}
		case FILES_TAB: {
			const file = fileRows(state)[cursor];
			return file ? {...state, mode: 'detail', detail: {record: null, value: file, title: file.display, scroll: 0, lines: 0}} : state;
		}
		case SESSIONS_TAB: {
			const session = sessionRows(state)[cursor];
			return session ? scopeTo(state, session.id) : state;
		}
		default:
			return state;
	}
}

/** Esc / h / ← on the Agents tab with an agent open: back to the list of agents. */
export function viewBack(state: UiState): UiState {
	return state.openAgent ? {...state, openAgent: null} : state;
}

export function toggleSort(state: UiState): UiState {
	return {...state, toolSort: state.toolSort === 'time' ? 'duration' : 'time', tabCursors: state.tabCursors.map((c, i) => (i === TOOLS_TAB ? 0 : c))};
}

/** The filter line's predicate narrowed to the scoped session. */
export function selectionOf(test: Predicate | null, scope: string | null): Predicate | null {
	if (scope === null) return test;
	if (test === null) return record => record.session === scope;
	return record => record.session === scope && test(record);
}

/** Scopes every tab to `session`; the same session again (or null) clears the scope. The caller asks the store to re-query. */
export function scopeTo(state: UiState, session: string | null): UiState {
	const scope = session === null || session === state.scope ? null : session;
	if (scope === state.scope) return state;
	return {...state, scope, selection: selectionOf(state.filter.test, scope), tabCursors: state.tabCursors.map(() => 0), openAgent: null, cursor: 0, top: 0};
}

/** The session of the selected row on the tab on screen (the event's, on the Events tab). */
export function selectedSession(state: UiState): string | null {
	const cursor = viewCursor(state);
	switch (state.tab) {
		case TOOLS_TAB:
			return toolRows(state)[cursor]?.session ?? null;
		case AGENTS_TAB: {
			const opened = openedAgent(state);
			return opened ? opened.agent.session : agentRows(state)[cursor]?.session ?? null;
		}
		case FILES_TAB:
			return fileRows(state)[cursor]?.sessions.at(-1) ?? null;
		case SESSIONS_TAB:
			return sessionRows(state)[cursor]?.id ?? null;
		default:
			return state.shown.items[state.cursor]?.session ?? null;
	}
}

/** Switches tabs: the old tab keeps its search, the new one gets its own back; a detail view closes. */
export function switchTab(state: UiState, index: number): UiState {
	if (index === state.tab) return state.mode === 'detail' ? {...state, mode: 'list'} : state;
	const searches = [...state.searches];
	searches[state.tab] = state.search.applied;
	const applied = searches[index] ?? '';
	return {...state, tab: index, searches, search: {input: applied, applied}, mode: state.mode === 'detail' ? 'list' : state.mode};
}
