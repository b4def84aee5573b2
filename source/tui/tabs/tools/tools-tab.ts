/**
 * The Tools tab: one row per tool call, newest first (or longest first with `o`).
 */
import {rowNav} from '../../list/row-nav.js';
import {rowHints} from '../../list/row-view.js';
import type {TabDefinition} from '../tab.js';
import {toolRows} from './tool-rows.js';
import {toolsLegend} from './tool-status.js';
import {callDetail, toggleSort} from './tools-state.js';
import {ToolsTab} from './ToolsTab.js';

export const toolsTab: TabDefinition<'tools'> = {
	id: 'tools',
	title: 'Tools',
	View: ToolsTab,
	nav: rowNav({
		count: (state) => toolRows(state).length,
		open(state, cursor) {
			const call = toolRows(state)[cursor];
			return call ? callDetail(state, call) : state;
		},
		session: (state, cursor) => toolRows(state)[cursor]?.session ?? null,
	}),
	bindings: [
		{
			command: 'tools.sort',
			keys: ['o'],
			intent: {do: 'update', update: toggleSort},
			description: 'sort by start time / by duration',
			more: 'newest first / longest first; the title line says which',
			where: 'list',
		},
	],
	hints: (state) => rowHints(state, 'j/k move · Enter records · o sort · s scope'),
	legend: toolsLegend,
};
