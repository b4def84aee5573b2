/**
 * The Tools, Agents, Files and Sessions tabs wired to the UI state: the rows of the views snapshot
 * on screen (sorted, searched), the tab's cursor, a title note (sort, search, filter, scope,
 * pause), and the detail view (a call's records, a file's entry) on Enter.
 */
import React from 'react';
import type {UiState} from '../../app/ui-state.js';
import {viewCursor} from '../../list/row-nav.js';
import type {TabViewProps} from '../registry.js';
import {AgentDetail, AgentsTab} from '../agents/AgentsTable.js';
import {DetailView} from '../../detail/DetailView.js';
import {FilesTab} from '../files/FilesTable.js';
import {SessionsTab} from '../sessions/SessionsTable.js';
import {ToolsTab} from '../tools/ToolsTable.js';
import {agentRows, fileRows, openedAgent, sessionRows, toolRows} from '../../list/rows.js';

/** The title line's note: what narrows or orders the rows. */
export function viewNote(state: UiState, rows: number, first?: string): string {
	const parts: string[] = [];
	if (first) parts.push(first);
	if (state.search.applied) parts.push(`/${state.search.applied}: ${rows} match${rows === 1 ? '' : 'es'}`);
	if (state.filter.applied) parts.push('filtered');
	if (state.paused) parts.push('⏸ paused');
	return parts.join(' · ');
}

const clamp = (cursor: number, length: number) => Math.max(0, Math.min(cursor, length - 1));

function detail(props: TabViewProps): React.ReactElement | null {
	const {state, width, dispatch} = props;
	if (state.mode !== 'detail' || state.detail.value === undefined) return null;
	return <DetailView state={state} width={width} dispatch={dispatch} />;
}

export function ToolsView(props: TabViewProps) {
	const {state, width, height} = props;
	const open = detail(props);
	if (open) return open;
	const rows = toolRows(state);
	return <ToolsTab rows={rows} cursor={clamp(viewCursor(state), rows.length)} width={width} height={height} note={viewNote(state, rows.length, `by ${state.toolSort}`)} />;
}

export function AgentsView(props: TabViewProps) {
	const {state, width, height} = props;
	const open = detail(props);
	if (open) return open;
	const opened = openedAgent(state);
	if (opened) return <AgentDetail agent={opened.agent} calls={opened.calls} cursor={clamp(viewCursor(state), opened.calls.length)} width={width} height={height} />;
	const rows = agentRows(state);
	return <AgentsTab rows={rows} cursor={clamp(viewCursor(state), rows.length)} width={width} height={height} note={viewNote(state, rows.length)} />;
}

export function FilesView(props: TabViewProps) {
	const {state, width, height} = props;
	const open = detail(props);
	if (open) return open;
	const rows = fileRows(state);
	return <FilesTab rows={rows} cursor={clamp(viewCursor(state), rows.length)} width={width} height={height} now={state.shown.views.now} note={viewNote(state, rows.length)} />;
}

export function SessionsView(props: TabViewProps) {
	const {state, width, height} = props;
	const rows = sessionRows(state);
	return <SessionsTab rows={rows} cursor={clamp(viewCursor(state), rows.length)} width={width} height={height} now={state.shown.views.now} note={viewNote(state, rows.length)} />;
}
