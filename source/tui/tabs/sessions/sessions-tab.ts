/**
 * The Sessions tab: each session with its live state; Enter scopes every tab to it.
 */
import {scopeTo} from '../../app/scope.js';
import {rowNav} from '../../list/row-nav.js';
import {rowHints, rowsOnScreen} from '../../list/row-view.js';
import type {TabDefinition} from '../tab.js';
import {sessionsLegend} from './session-state.js';
import {sessionRows} from './session-rows.js';
import {SessionsTab} from './SessionsTab.js';

export const sessionsTab: TabDefinition<'sessions'> = {
	id: 'sessions',
	title: 'Sessions',
	View: SessionsTab,
	nav: rowNav({
		count: (state) => sessionRows(state).length,
		open(state, cursor) {
			const session = sessionRows(state)[cursor];
			return session ? scopeTo(state, session.id) : state;
		},
		session: (state, cursor) => sessionRows(state)[cursor]?.id ?? null,
	}),
	hints: (state) => rowHints(state, 'j/k move · s/Enter scope to the session'),
	ages: (state) => rowsOnScreen(state, sessionRows(state)).map((session) => session.lastActivity),
	legend: sessionsLegend,
};
