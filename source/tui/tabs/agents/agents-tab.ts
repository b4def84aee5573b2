/**
 * The Agents tab: each subagent; Enter opens one (its calls, task and last message).
 */
import type {UiState} from '../../app/ui-state.js';
import {rowNav} from '../../list/row-nav.js';
import {rowHints} from '../../list/row-view.js';
import type {TabDefinition} from '../tab.js';
import {callDetail} from '../tools/tools-state.js';
import {agentRows, openedAgent} from './agent-rows.js';
import {agentsLegend} from './agent-status.js';
import {agentsCursor, closeAgent, openAgent} from './agents-state.js';
import {AgentsTab} from './AgentsTab.js';

function count(state: UiState): number {
	return state.openAgent ? (openedAgent(state)?.calls.length ?? 0) : agentRows(state).length;
}

function hints(state: UiState): string {
	if (state.mode === 'list' && !state.search.applied && state.openAgent)
		return 'j/k move · Enter records · Esc back · ? help · q quit';
	return rowHints(state, 'j/k move · Enter calls · s scope');
}

export const agentsTab: TabDefinition<'agents'> = {
	id: 'agents',
	title: 'Agents',
	View: AgentsTab,
	nav: rowNav({
		count,
		open(state, cursor) {
			const opened = openedAgent(state);
			if (opened) {
				const call = opened.calls[cursor];
				return call ? callDetail(state, call) : state;
			}
			const agent = agentRows(state)[cursor];
			return agent ? openAgent(state, agent.key) : state;
		},
		session(state, cursor) {
			const opened = openedAgent(state);
			return opened ? opened.agent.session : (agentRows(state)[cursor]?.session ?? null);
		},
		cursor: agentsCursor,
	}),
	bindings: [
		{
			command: 'agents.back',
			keys: ['escape', 'h', 'left', 'backspace'],
			intent: {do: 'update', update: closeAgent},
			description: 'back to the list of agents',
			where: 'list',
			when: {test: (state) => state.openAgent !== null, text: 'an agent open'},
		},
	],
	hints,
	legend: agentsLegend,
};
