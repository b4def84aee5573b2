/**
 * Sessions tab (presentational): one row per session with its live state. Sessions waiting for
 * you stand out (bold yellow, with what they wait for); ended ones are dimmed.
 */
import React from 'react';
import type {SessionEntry, SessionState} from '../../core/views/index.js';
import {formatAgo, formatDuration} from '../../core/views/index.js';
import {ViewTable, type TableColumn} from './ViewTable.js';

export interface SessionsTabProps {
	rows: readonly SessionEntry[];
	cursor: number;
	width: number;
	height: number;
	/** The current time, for "last activity … ago" and how long it has been waiting. */
	now: number;
	note?: string;
}

const stateColor: Record<SessionState, string | undefined> = {
	working: 'green',
	waiting: 'yellow',
	idle: 'cyan',
	ended: 'gray',
	stale: 'gray',
};

const stateText: Record<SessionState, string> = {
	working: '● working',
	waiting: '▲ WAITING',
	idle: '○ idle',
	ended: '· ended',
	stale: '· stale',
};

/** `~/…` for paths under a home directory, else the path. */
function shortCwd(cwd: string | null): string {
	if (cwd === null) return '';
	return cwd.replace(/^\/(?:home|Users)\/[^/]+(?=\/|$)/, '~');
}

function what(row: SessionEntry, now: number): string {
	if (row.state === 'waiting') {
		const since = row.waitingSince === null ? '' : ` (${formatDuration(now - row.waitingSince)})`;
		const reason = row.waitReason === 'idle' ? 'waiting for your input' : row.waitReason === 'input' ? 'asks for input' : 'permission';
		return `${reason}${since}: ${row.waitMessage ?? ''}`.replace(/: $/, '');
	}
	return row.lastPrompt ?? '';
}

export function sessionColumns(width: number, now: number): Array<TableColumn<SessionEntry>> {
	const columns: Array<TableColumn<SessionEntry>> = [
		{id: 'state', title: 'state', width: 11, cell: r => stateText[r.state], color: r => stateColor[r.state]},
		{id: 'id', title: 'session', width: 9, cell: r => r.id.slice(0, 8), dim: true},
	];
	if (width >= 70) columns.push({id: 'cwd', title: 'cwd', width: width >= 110 ? 24 : 16, cell: r => shortCwd(r.cwd)});
	columns.push({id: 'what', title: 'waiting for / last prompt', width: 0, cell: r => what(r, now)});
	if (width >= 80) columns.push({id: 'prompts', title: 'prm', width: 4, align: 'right', cell: r => String(r.promptCount), dim: true});
	columns.push({id: 'tools', title: 'tools', width: 6, align: 'right', cell: r => String(r.toolCount)});
	if (width >= 90) columns.push({id: 'errors', title: 'err', width: 4, align: 'right', cell: r => (r.errorCount === 0 ? '·' : String(r.errorCount)), color: r => (r.errorCount > 0 ? 'red' : undefined)});
	if (width >= 64) columns.push({id: 'active', title: 'active', width: 11, align: 'right', cell: r => formatAgo(r.lastActivity, now), dim: true});
	if (width >= 130) columns.push({id: 'model', title: 'model', width: 18, cell: r => r.model ?? '', dim: true});
	return columns;
}

export function SessionsTab({rows, cursor, width, height, now, note}: SessionsTabProps) {
	return (
		<ViewTable
			rows={rows}
			columns={sessionColumns(width, now)}
			cursor={cursor}
			width={width}
			height={height}
			rowKey={r => r.id}
			rowColor={r => (r.state === 'waiting' ? 'yellow' : r.state === 'ended' || r.state === 'stale' ? 'gray' : undefined)}
			rowBold={r => r.state === 'waiting'}
			empty="No sessions yet. Install the hooks (mpm-tui hooks install) and start Claude Code."
			note={note}
		/>
	);
}
