/**
 * The Usage tab: tokens, $ (and where it came from), burn rate and API time per session; Enter
 * opens a session (its prompts and subagents), Enter on a prompt its tool calls.
 */
import type {UiState} from '../../app/ui-state.js';
import {rowNav} from '../../list/row-nav.js';
import {rowHints} from '../../list/row-view.js';
import type {TabDefinition} from '../tab.js';
import {callDetail} from '../tools/tools-state.js';
import {openedPrompt, openedUsage, usageRows} from './usage-rows.js';
import {usageLegend} from './usage-legend.js';
import {closeUsage, openUsagePrompt, openUsageSession, toggleUsageSort, usageCursor} from './usage-state.js';
import {UsageTab} from './UsageTab.js';

function count(state: UiState): number {
	if (state.openUsage?.prompt) return openedPrompt(state)?.tools.length ?? 0;
	if (state.openUsage) return openedUsage(state)?.items.length ?? 0;
	return usageRows(state).length;
}

function hints(state: UiState): string {
	if (state.mode === 'list' && !state.search.applied && state.openUsage) {
		return state.openUsage.prompt
			? 'j/k move · Enter records · Esc back · ? help · q quit'
			: 'j/k move · Enter tool calls · Esc back · ? help · q quit';
	}
	return rowHints(state, 'j/k move · Enter prompts · o sort · s scope');
}

export const usageTab: TabDefinition<'usage'> = {
	id: 'usage',
	title: 'Usage',
	View: UsageTab,
	nav: rowNav({
		count,
		open(state, cursor) {
			const prompt = openedPrompt(state);
			if (prompt) {
				// A tool call's records, when the Tools view still holds the call.
				const id = prompt.tools[cursor]?.toolUseId;
				const call = id === undefined ? undefined : state.shown.views.tools().find((c) => c.id === id);
				return call ? callDetail(state, call) : state;
			}
			const opened = openedUsage(state);
			if (opened) {
				const item = opened.items[cursor];
				return item?.kind === 'prompt' ? openUsagePrompt(state, item.prompt.key) : state;
			}
			const row = usageRows(state)[cursor];
			return row ? openUsageSession(state, row.session) : state;
		},
		session(state, cursor) {
			if (state.openUsage) return state.openUsage.session;
			return usageRows(state)[cursor]?.session ?? null;
		},
		cursor: usageCursor,
	}),
	bindings: [
		{
			command: 'usage.sort',
			keys: ['o'],
			intent: {do: 'update', update: toggleUsageSort},
			description: 'sort by $ / by last activity',
			more: 'most $ first / most recent first; the title line says which',
			where: 'list',
			when: {test: (state) => state.openUsage === null, text: 'the list of sessions'},
		},
		{
			command: 'usage.back',
			keys: ['escape', 'h', 'left', 'backspace'],
			intent: {do: 'update', update: closeUsage},
			description: 'back one level: prompt → session → list',
			where: 'list',
			when: {test: (state) => state.openUsage !== null, text: 'a session open'},
		},
	],
	hints,
	legend: usageLegend,
};
