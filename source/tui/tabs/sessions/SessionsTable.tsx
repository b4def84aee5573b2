/**
 * The Sessions table (presentational): one row per session with its live state. Sessions waiting for
 * you stand out (bold yellow, with what they wait for); a session paused on background work says
 * what runs; an API error is said in words; ended ones are dimmed.
 */
import React from 'react';
import type {SessionEntry, SessionUsageTotals} from '../../../core/views/index.js';
import {formatAgo, formatDuration, homeShort} from '../../../core/views/index.js';
import {textWidth} from '../../text/cells.js';
import {RowTable, type TableColumn, type TitleNote} from '../../list/RowTable.js';
import {sessionStateColor, sessionStateText, waitWords} from './session-state.js';
import {allTokens, compactCount, costCell} from '../usage/usage-format.js';

/** From this width the tokens and $ columns (the Usage tab's totals) are shown. */
export const SESSION_USAGE_WIDTH = 130;

export interface SessionsTableProps {
	rows: readonly SessionEntry[];
	cursor: number;
	width: number;
	height: number;
	/** The current time, for "last activity … ago" and how long it has been waiting. */
	now: number;
	note?: TitleNote;
	/** `c` cleared the view: the empty text says so, not that nothing ever came. */
	cleared?: boolean;
	/** Usage totals by session id (from SESSION_USAGE_WIDTH columns). */
	usage?: ReadonlyMap<string, SessionUsageTotals>;
}

/** `~/…` for paths under a home directory, else the path. */
function shortCwd(cwd: string | null): string {
	return cwd === null ? '' : homeShort(cwd);
}

function cronsText(row: SessionEntry): string {
	const n = row.crons.length;
	return n === 0 ? '' : ` · ${n} cron${n === 1 ? '' : 's'}`;
}

/** What runs in the background: `runs: npm run dev, Explore: audit the deps`. */
function backgroundText(row: SessionEntry): string {
	const parts = row.background.map((task) =>
		task.type === 'subagent' && task.agentType !== null && task.agentType !== task.description
			? `${task.agentType}: ${task.description}`
			: task.description,
	);
	return `runs: ${parts.join(', ')}`;
}

function what(row: SessionEntry, now: number): string {
	switch (row.state) {
		case 'waiting': {
			const since = row.waitingSince === null ? '' : ` (${formatDuration(now - row.waitingSince)})`;
			const reason = row.waitReason === null ? 'waiting' : waitWords[row.waitReason];
			return `${reason}${since}: ${row.waitMessage ?? ''}`.replace(/: $/, '');
		}
		case 'background':
			return backgroundText(row) + cronsText(row);
		case 'failed':
			return row.failure ?? 'API error';
		case 'idle':
			return (row.lastPrompt ?? '') + cronsText(row);
		default:
			return row.lastPrompt ?? '';
	}
}

function stateText(row: SessionEntry, width: number): string {
	return sessionStateText(row.state, row.background.length, width < 72 || row.background.length > 9);
}

/** The columns for `width`; the state column is as wide as the widest state among `rows` needs (`◇ background 2`, `✗ API error`). */
export function sessionColumns(
	width: number,
	now: number,
	rows: readonly SessionEntry[] = [],
	usage?: ReadonlyMap<string, SessionUsageTotals>,
): Array<TableColumn<SessionEntry>> {
	let stateCells = 11;
	for (const row of rows)
		if (row.state === 'background' || row.state === 'failed')
			stateCells = Math.max(stateCells, textWidth(stateText(row, width)) + 1);
	const columns: Array<TableColumn<SessionEntry>> = [
		{
			id: 'state',
			title: 'state',
			width: stateCells,
			cell: (r) => stateText(r, width),
			color: (r) => sessionStateColor[r.state],
		},
		{id: 'id', title: 'session', width: 9, cell: (r) => r.id.slice(0, 8), dim: true},
	];
	if (width >= 70)
		columns.push({id: 'cwd', title: 'cwd', width: width >= 110 ? 24 : 16, cell: (r) => shortCwd(r.cwd)});
	columns.push({id: 'what', title: 'waiting for / last prompt', width: 0, cell: (r) => what(r, now)});
	if (width >= 80)
		columns.push({
			id: 'prompts',
			title: 'prm',
			width: 4,
			align: 'right',
			cell: (r) => String(r.promptCount),
			dim: true,
		});
	columns.push({id: 'tools', title: 'tools', width: 6, align: 'right', cell: (r) => String(r.toolCount)});
	if (width >= 90)
		columns.push({
			id: 'errors',
			title: 'err',
			width: 4,
			align: 'right',
			cell: (r) => (r.errorCount === 0 ? '·' : String(r.errorCount)),
			color: (r) => (r.errorCount > 0 ? 'red' : undefined),
		});
	if (width >= 64)
		columns.push({
			id: 'active',
			title: 'active',
			width: 11,
			align: 'right',
			cell: (r) => formatAgo(r.lastActivity, now),
			dim: true,
		});
	if (width >= 130)
		columns.push({id: 'model', title: 'model', width: 18, cell: (r) => r.model ?? '', dim: true});
	if (width >= SESSION_USAGE_WIDTH && usage !== undefined) {
		columns.push(
			{
				id: 'tokens',
				title: 'tokens',
				width: 8,
				align: 'right',
				cell: (r) => {
					const u = usage.get(r.id);
					return u === undefined || u.basis === 'none' ? '' : compactCount(allTokens(u.tokens));
				},
				dim: true,
			},
			{
				id: 'cost',
				title: '$',
				width: 10,
				align: 'right',
				cell: (r) => {
					const u = usage.get(r.id);
					return u === undefined || u.basis === 'none' ? '' : costCell(u);
				},
				color: (r) => (usage.get(r.id)?.costSource ? 'green' : undefined),
			},
		);
	}
	return columns;
}

export function SessionsTable({
	rows,
	cursor,
	width,
	height,
	now,
	note,
	usage,
	cleared = false,
}: SessionsTableProps) {
	return (
		<RowTable
			rows={rows}
			columns={sessionColumns(width, now, rows, usage)}
			cursor={cursor}
			width={width}
			height={height}
			rowKey={(r) => r.id}
			rowColor={(r) =>
				r.state === 'waiting'
					? 'yellow'
					: r.state === 'failed'
						? 'red'
						: r.state === 'ended' || r.state === 'stale'
							? 'gray'
							: undefined
			}
			rowBold={(r) => r.state === 'waiting'}
			empty={
				cleared
					? 'View cleared. Sessions appear here again with their next events.'
					: 'No sessions yet. Install the hooks (mpm-tui hooks install) and start Claude Code.'
			}
			note={note}
		/>
	);
}
