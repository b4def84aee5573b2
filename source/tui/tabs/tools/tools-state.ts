/**
 * The Tools tab's own state changes: the sort (`o`), and a call opened with Enter (its records
 * as JSON; the Agents tab opens its calls the same way).
 */
import {interruptText, toolStatusWord, type ToolCall} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';

export function toggleSort(state: UiState): UiState {
	return {
		...state,
		toolSort: state.toolSort === 'time' ? 'duration' : 'time',
		tabCursors: {...state.tabCursors, tools: 0},
	};
}

/** The detail view of a call: its stored records (the call itself when none are kept). */
export function callDetail(state: UiState, call: ToolCall): UiState {
	const records = state.shown.views.recordsOf(call);
	const value = records.length === 0 ? call : records.length === 1 ? records[0] : records;
	const what =
		records.length === 0
			? 'no records kept, the call'
			: `${records.length} record${records.length === 1 ? '' : 's'}`;
	const why = call.status === 'interrupted' ? ` (${interruptText(call.interruptedBy)})` : '';
	const title = `${call.tool} ${call.target} · ${toolStatusWord(call)}${why} · ${what}`;
	return {...state, mode: 'detail', detail: {record: records[0] ?? null, value, title, scroll: 0, lines: 0}};
}
