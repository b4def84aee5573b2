/**
 * The Files table (presentational): path (relative to one root, see `file-paths.ts`; a directory
 * only searched ends in `/`), reads / writes / edits / searches, last operation, last touched,
 * by which agent (by type, as on the Tools tab), and the session when the rows come from
 * sessions with different cwds.
 */
import React from 'react';
import type {FileEntry} from '../../../core/views/index.js';
import {formatAgo} from '../../../core/views/index.js';
import {shortSession} from '../../../core/search.js';
import {RowTable, type TableColumn, type TitleNote} from '../../list/RowTable.js';
import {agentLabel} from '../../list/rows.js';

export interface FilesTableProps {
	rows: readonly FileEntry[];
	cursor: number;
	width: number;
	height: number;
	/** The current time, for "last touched … ago". */
	now: number;
	note?: TitleNote;
	/** `c` cleared the view: the empty text says so, not that nothing ever came. */
	cleared?: boolean;
	/** The rows come from sessions with different cwds: show each one's session. */
	manyRoots?: boolean;
}

const count = (n: number) => (n === 0 ? '·' : String(n));

/** The session that last touched it, and how many more did: `5b1e0c9a+1`. */
function sessionText(r: FileEntry): string {
	const more = r.sessions.length > 1 ? `+${r.sessions.length - 1}` : '';
	return shortSession(r.sessions.at(-1) ?? null) + more;
}

export function fileColumns(width: number, now: number, manyRoots = false): Array<TableColumn<FileEntry>> {
	const columns: Array<TableColumn<FileEntry>> = [
		{
			id: 'path',
			title: 'path',
			width: 0,
			cell: (r) => r.display,
			color: (r) => (r.directory ? 'blue' : undefined),
		},
		{
			id: 'reads',
			title: 'R',
			width: 4,
			align: 'right',
			cell: (r) => count(r.reads),
			color: (r) => (r.reads > 0 ? 'cyan' : undefined),
		},
		{
			id: 'writes',
			title: 'W',
			width: 4,
			align: 'right',
			cell: (r) => count(r.writes),
			color: (r) => (r.writes > 0 ? 'green' : undefined),
		},
		{
			id: 'edits',
			title: 'E',
			width: 4,
			align: 'right',
			cell: (r) => count(r.edits),
			color: (r) => (r.edits > 0 ? 'yellow' : undefined),
		},
	];
	// At every width: without it a row's `·` marks would say "none" of a path that was searched.
	columns.push({
		id: 'searches',
		title: 'S',
		width: 4,
		align: 'right',
		cell: (r) => count(r.searches),
		dim: true,
	});
	if (width >= 100) columns.push({id: 'last', title: 'last', width: 8, cell: (r) => r.lastTool});
	columns.push({
		id: 'touched',
		title: 'touched',
		width: 11,
		align: 'right',
		cell: (r) => formatAgo(r.lastTouched, now),
		dim: true,
	});
	if (width >= 85)
		columns.push({
			id: 'agent',
			title: 'by',
			width: 16,
			cell: (r) => agentLabel(r.lastAgent, r.lastAgentType),
			color: (r) => (r.lastAgent === 'main' ? undefined : 'magenta'),
		});
	if (manyRoots && width >= 70)
		columns.push({id: 'session', title: 'session', width: 12, cell: sessionText, dim: true});
	else if (width >= 120)
		columns.push({
			id: 'sessions',
			title: 'sess',
			width: 5,
			align: 'right',
			cell: (r) => String(r.sessions.length),
			dim: true,
		});
	return columns;
}

export function FilesTable({
	rows,
	cursor,
	width,
	height,
	now,
	note,
	manyRoots,
	cleared = false,
}: FilesTableProps) {
	return (
		<RowTable
			rows={rows}
			columns={fileColumns(width, now, manyRoots)}
			cursor={cursor}
			width={width}
			height={height}
			rowKey={(r) => r.path}
			empty={
				cleared
					? 'View cleared. New reads, writes, edits and searches appear here.'
					: 'No files touched yet. Reads, writes, edits and searches appear here.'
			}
			note={note}
		/>
	);
}
