/**
 * The Tools table (presentational): one row per tool call — status mark, time, tool, target,
 * duration, status word, agent, session. Running calls show their elapsed time (the snapshot's
 * `durationMs` at the time it was taken: re-render with a fresh snapshot to tick), failed and
 * denied calls are red. Columns drop as the pane narrows (the marks stay; `?` explains them).
 */
import React from 'react';
import type {ToolCall} from '../../../core/views/index.js';
import {formatClock, formatDuration, interruptText, toolStatusWord} from '../../../core/views/index.js';
import {RowTable, type TableColumn, type TitleNote} from '../../list/RowTable.js';
import {agentLabel, SESSION_MARK_CELLS, sessionMark} from '../../list/rows.js';
import {toolStatusColor, toolStatusMark} from './tool-status.js';

export interface ToolsTableProps {
	rows: readonly ToolCall[];
	cursor: number;
	width: number;
	height: number;
	/** Shown on the title line, e.g. `by duration` or `session 5b1e0c9a`. */
	note?: TitleNote;
	/** `c` cleared the view: the empty text says so, not that nothing ever came. */
	cleared?: boolean;
}

function durationText(row: ToolCall): string {
	if (row.durationMs === null) return row.status === 'lost' ? 'lost' : '–';
	return formatDuration(row.durationMs);
}

/** The target, and in a wide pane why the call did not end well. */
function targetText(row: ToolCall, width: number): string {
	if (width < 110) return row.target;
	if ((row.status === 'failed' || row.status === 'denied') && row.error)
		return `${row.target}  — ${row.error}`;
	if (row.status === 'interrupted' && row.interruptedBy !== null && row.interruptedBy !== 'user')
		return `${row.target}  — ${interruptText(row.interruptedBy)}`;
	return row.target;
}

export function toolColumns(width: number): Array<TableColumn<ToolCall>> {
	const columns: Array<TableColumn<ToolCall>> = [
		{
			id: 'status',
			title: '',
			width: 3,
			cell: (r) => toolStatusMark[r.status] + (r.waitedForPermission ? '⚑' : ''),
			color: (r) => toolStatusColor[r.status],
		},
	];
	// Narrower than the session column, the session's first characters: rows of two sessions stay apart.
	if (width < 120)
		columns.push({
			id: 'session',
			title: 'sess',
			width: SESSION_MARK_CELLS + 1,
			cell: (r) => sessionMark(r.session),
			dim: true,
		});
	if (width >= 72)
		columns.push({id: 'time', title: 'time', width: 9, cell: (r) => formatClock(r.start), dim: true});
	columns.push({id: 'tool', title: 'tool', width: width >= 90 ? 14 : 10, cell: (r) => r.tool});
	columns.push({id: 'target', title: 'target', width: 0, cell: (r) => targetText(r, width)});
	columns.push({
		id: 'duration',
		title: 'took',
		width: 8,
		align: 'right',
		cell: durationText,
		color: (r) => (r.status === 'running' ? 'yellow' : undefined),
	});
	if (width >= 80)
		columns.push({
			id: 'word',
			title: 'status',
			width: 12,
			cell: toolStatusWord,
			color: (r) => toolStatusColor[r.status],
		});
	if (width >= 90)
		columns.push({
			id: 'agent',
			title: 'agent',
			width: 14,
			cell: (r) => agentLabel(r.agent, r.agentType),
			color: (r) => (r.agent === 'main' ? undefined : 'magenta'),
		});
	if (width >= 120)
		columns.push({
			id: 'session',
			title: 'session',
			width: 9,
			cell: (r) => (r.session ?? '').slice(0, 8),
			dim: true,
		});
	return columns;
}

export function ToolsTable({rows, cursor, width, height, note, cleared = false}: ToolsTableProps) {
	return (
		<RowTable
			rows={rows}
			columns={toolColumns(width)}
			cursor={cursor}
			width={width}
			height={height}
			rowKey={(r) => r.id}
			rowColor={(r) => (r.status === 'failed' || r.status === 'denied' ? 'red' : undefined)}
			empty={
				cleared
					? 'View cleared. New tool calls appear here as Claude Code runs tools.'
					: 'No tool calls yet. They appear here as Claude Code runs tools.'
			}
			note={note}
		/>
	);
}
