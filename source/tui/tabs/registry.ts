/**
 * The tabs. A tab is a view component plus a key map and the footer's hints.
 */
import type React from 'react';
import type {Intent} from '../app/intents.js';
import type {Action, KeyInfo, UiState} from '../app/ui-state.js';
import {EventsTab} from './events/EventsTab.js';
import {eventsHints, eventsKeys} from './events/events-keys.js';
import {AgentsView, FilesView, SessionsView, ToolsView} from './views/ViewTabs.js';
import {viewHints, viewKeys} from './views/view-keys.js';

export interface TabViewProps {
	state: UiState;
	width: number;
	/** Lines the tab may use (the body). */
	height: number;
	dispatch: (action: Action) => void;
}

export interface TabDefinition {
	id: string;
	title: string;
	View: React.ComponentType<TabViewProps>;
	/** Turns a key into intents for this tab (global keys are handled before). */
	keys: (state: UiState, input: string, key: KeyInfo) => Intent[];
	/** The footer's most useful keys for the current view. */
	hints: (state: UiState) => string;
}

export const tabs: readonly TabDefinition[] = [
	{id: 'events', title: 'Events', View: EventsTab, keys: eventsKeys, hints: eventsHints},
	{id: 'tools', title: 'Tools', View: ToolsView, keys: viewKeys, hints: viewHints},
	{id: 'agents', title: 'Agents', View: AgentsView, keys: viewKeys, hints: viewHints},
	{id: 'files', title: 'Files', View: FilesView, keys: viewKeys, hints: viewHints},
	{id: 'sessions', title: 'Sessions', View: SessionsView, keys: viewKeys, hints: viewHints},
];
