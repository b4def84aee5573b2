/**
 * The Agents tab's rows: the views snapshot's agents narrowed by the tab's search, and the
 * agent opened with Enter with its tool calls.
 */
import {shortSession} from '../../../core/search.js';
import type {AgentEntry, ToolCall} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';

export function agentText(r: AgentEntry): string {
	return `${r.type} ${r.description} ${r.status} ${r.lastMessage ?? ''} ${shortSession(r.session)}`;
}

const rowsMemo = rowMemo<AgentEntry>();
const callsMemo = rowMemo<ToolCall>();

export function agentRows(state: UiState): readonly AgentEntry[] {
	const base = state.shown.views.agents();
	const query = searchOf(state, 'agents');
	return rowsMemo(base, query, () => fuzzyFilter(base, query, agentText));
}

/** The agent opened on the Agents tab (looked up by key in the unsearched rows) and its tool calls, newest first (as on the Tools tab). */
export function openedAgent(state: UiState): {agent: AgentEntry; calls: readonly ToolCall[]} | null {
	const open = state.openAgent;
	if (open === null) return null;
	const agent = state.shown.views.agents().find((a) => a.key === open.key);
	if (!agent) return null;
	const tools = state.shown.views.tools();
	const calls = callsMemo(tools, `${agent.key}\u0000${agent.toolCallIds.length}`, () => {
		const ids = new Set(agent.toolCallIds);
		return tools.filter((c) => ids.has(c.id));
	});
	return {agent, calls};
}
