/**
 * The Files tab: each file read, written, edited or searched; Enter shows its entry.
 */
import {rowNav} from '../../list/row-nav.js';
import {rowHints, rowsOnScreen} from '../../list/row-view.js';
import type {TabDefinition} from '../tab.js';
import {fileRows} from './file-rows.js';
import {filesLegend} from './files-legend.js';
import {FilesTab} from './FilesTab.js';

export const filesTab: TabDefinition<'files'> = {
	id: 'files',
	title: 'Files',
	View: FilesTab,
	nav: rowNav({
		count: (state) => fileRows(state).length,
		open(state, cursor) {
			const file = fileRows(state)[cursor];
			return file
				? {
						...state,
						mode: 'detail',
						detail: {record: null, value: file, title: file.display, scroll: 0, lines: 0},
					}
				: state;
		},
		session: (state, cursor) => fileRows(state)[cursor]?.sessions.at(-1) ?? null,
	}),
	hints: (state) => rowHints(state, 'j/k move · Enter details · s scope'),
	ages: (state) => rowsOnScreen(state, fileRows(state)).map((file) => file.lastTouched),
	legend: filesLegend,
};
