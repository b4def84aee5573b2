/**
 * The Tools tab's rows: the views snapshot's tool calls, sorted (by time or duration), narrowed
 * by the tab's search over a row's text.
 */
import {shortSession} from '../../../core/search.js';
import {sortToolCalls, toolStatusWord, type ToolCall} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {agentLabel, fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';

export function toolText(r: ToolCall): string {
	return `${r.tool} ${r.target} ${agentLabel(r.agent, r.agentType)} ${toolStatusWord(r)} ${shortSession(r.session)} ${r.error ?? ''}`;
}

const memo = rowMemo<ToolCall>();

export function toolRows(state: UiState): readonly ToolCall[] {
	const base = state.shown.views.tools();
	const query = searchOf(state, 'tools');
	return memo(base, `${state.toolSort}\u0000${query}`, () => {
		const sorted = state.toolSort === 'time' ? base : sortToolCalls(base, 'duration');
		return fuzzyFilter(sorted, query, toolText);
	});
}
