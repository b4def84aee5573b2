/**
 * The Agents table (presentational): each subagent with type, description, status, duration and tool
 * count; `AgentDetail` shows one agent's tool calls and last message (for Enter).
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../../text/Text.js';
import type {AgentEntry, SubagentUsage, ToolCall} from '../../../core/views/index.js';
import {costCell} from '../usage/usage-format.js';
import {formatDuration} from '../../../core/views/index.js';
import {screenLine} from '../../text/screen-line.js';
import {fit} from '../../text/cells.js';
import {RowTable, type TableColumn, type TitleNote} from '../../list/RowTable.js';
import {SESSION_MARK_CELLS, sessionMark} from '../../list/rows.js';
import {ToolsTable} from '../tools/ToolsTable.js';
import {agentStatusColor, agentStatusMark, agentStatusText} from './agent-status.js';

export interface AgentsTableProps {
	rows: readonly AgentEntry[];
	cursor: number;
	width: number;
	height: number;
	note?: TitleNote;
	/** `c` cleared the view: the empty text says so, not that nothing ever came. */
	cleared?: boolean;
	/** Each subagent's usage by agent id (from AGENT_USAGE_WIDTH columns). */
	usage?: ReadonlyMap<string, SubagentUsage>;
}

/** From this width the $ column (the usage join's, from the subagent's transcript) is shown. */
export const AGENT_USAGE_WIDTH = 120;

const statusColor = agentStatusColor;
const statusMark = agentStatusMark;

const statusText = agentStatusText;

export function agentColumns(
	width: number,
	usage?: ReadonlyMap<string, SubagentUsage>,
): Array<TableColumn<AgentEntry>> {
	const columns: Array<TableColumn<AgentEntry>> = [
		{id: 'mark', title: '', width: 2, cell: (r) => statusMark[r.status], color: (r) => statusColor[r.status]},
		// Narrower than the session column, the session's first characters: rows of two sessions stay apart.
		...(width < 125
			? [
					{
						id: 'session',
						title: 'sess',
						width: SESSION_MARK_CELLS + 1,
						cell: (r: AgentEntry) => sessionMark(r.session),
						dim: true,
					},
				]
			: []),
		{id: 'type', title: 'type', width: width >= 90 ? 18 : 12, cell: (r) => r.type, color: () => 'magenta'},
		{id: 'description', title: 'task', width: 0, cell: (r) => r.description || r.lastMessage || r.id || ''},
	];
	if (width >= 70)
		columns.push({
			id: 'status',
			title: 'status',
			width: 12,
			cell: statusText,
			color: (r) => statusColor[r.status],
		});
	columns.push({
		id: 'duration',
		title: 'took',
		width: 8,
		align: 'right',
		cell: (r) => (r.durationMs === null ? '–' : formatDuration(r.durationMs)),
	});
	columns.push({id: 'tools', title: 'tools', width: 6, align: 'right', cell: (r) => String(r.toolCount)});
	if (width >= 110)
		columns.push({
			id: 'tokens',
			title: 'tokens',
			width: 8,
			align: 'right',
			cell: (r) =>
				r.tokens === null ? '' : r.tokens >= 10_000 ? `${Math.round(r.tokens / 1000)}k` : String(r.tokens),
			dim: true,
		});
	if (width >= AGENT_USAGE_WIDTH && usage !== undefined)
		columns.push({
			id: 'cost',
			title: '$',
			width: 10,
			align: 'right',
			cell: (r) => {
				const u = r.id === null ? undefined : usage.get(r.id);
				return u === undefined ? '' : costCell(u);
			},
			color: () => 'green',
		});
	if (width >= 125)
		columns.push({
			id: 'session',
			title: 'session',
			width: 9,
			cell: (r) => (r.session ?? '').slice(0, 8),
			dim: true,
		});
	return columns;
}

export function AgentsTable({rows, cursor, width, height, note, usage, cleared = false}: AgentsTableProps) {
	return (
		<RowTable
			rows={rows}
			columns={agentColumns(width, usage)}
			cursor={cursor}
			width={width}
			height={height}
			rowKey={(r) => r.key}
			rowColor={(r) => (r.status === 'failed' || r.status === 'denied' ? 'red' : undefined)}
			empty={
				cleared
					? 'View cleared. New subagents appear when Claude Code starts one (the Agent / Task tool).'
					: 'No subagents yet. They appear when Claude Code starts one (the Agent / Task tool).'
			}
			note={note}
		/>
	);
}

export interface AgentDetailProps {
	agent: AgentEntry;
	/** The agent's tool calls (e.g. the tools snapshot filtered by `agent.toolCallIds`). */
	calls: readonly ToolCall[];
	cursor: number;
	width: number;
	height: number;
}

/** One agent: a heading, its last message (or prompt), then its tool calls. */
export function AgentDetail({agent, calls, cursor, width, height}: AgentDetailProps) {
	if (height <= 0 || width <= 0) return null;
	const head = `${agent.type}  ${statusText(agent)}  ${agent.durationMs === null ? '' : formatDuration(agent.durationMs)}  ${agent.toolCount} tool${agent.toolCount === 1 ? '' : 's'}`;
	const lines = [
		head,
		agent.description ? `task: ${agent.description}` : '',
		agent.lastMessage ? `last: ${agent.lastMessage}` : agent.prompt ? `prompt: ${agent.prompt}` : '',
	].filter(Boolean);
	const top = lines.slice(0, Math.max(0, Math.min(lines.length, height - 2)));
	return (
		<Box flexDirection="column" width={width} height={height}>
			{top.map((line, i) => (
				<Text
					key={i}
					wrap="truncate-end"
					bold={i === 0}
					color={i === 0 ? statusColor[agent.status] : undefined}
				>
					{fit(screenLine(line), width)}
				</Text>
			))}
			<ToolsTable rows={calls} cursor={cursor} width={width} height={height - top.length} />
		</Box>
	);
}
