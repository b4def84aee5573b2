/**
 * The Agents tab on screen: the agents, an opened agent with its calls, or a call's records.
 */
import React from 'react';
import {clampCursor, openDetail, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {agentRows, openedAgent} from './agent-rows.js';
import {agentsCursor} from './agents-state.js';
import {AGENT_USAGE_WIDTH, AgentDetail, AgentsTable} from './AgentsTable.js';
import {usageByAgent} from '../usage/usage-lookup.js';

export function AgentsTab(props: TabViewProps) {
	const {state, width, height} = props;
	const open = openDetail(props);
	if (open) return open;
	const cursor = agentsCursor.get(state);
	const opened = openedAgent(state);
	if (opened)
		return (
			<AgentDetail
				agent={opened.agent}
				calls={opened.calls}
				cursor={clampCursor(cursor, opened.calls.length)}
				width={width}
				height={height}
			/>
		);
	const rows = agentRows(state);
	// The usage join's per-subagent $ only where its column is on screen, and only once a subagent has any.
	const known = width >= AGENT_USAGE_WIDTH ? usageByAgent(state) : undefined;
	const usage = known !== undefined && rows.some((r) => r.id !== null && known.has(r.id)) ? known : undefined;
	return (
		<AgentsTable
			cleared={state.shown.cleared}
			usage={usage}
			rows={rows}
			cursor={clampCursor(cursor, rows.length)}
			width={width}
			height={height}
			note={rowNote(state, rows.length)}
		/>
	);
}
