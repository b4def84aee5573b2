/**
 * What the Events tab shows before anything arrived (teaches the next step), or when the
 * filter, search or `c` leave nothing to show.
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../../text/Text.js';
import type {UiState} from '../../app/ui-state.js';
import {screenLine} from '../../text/screen-line.js';

interface Props {
	state: UiState;
	width: number;
	height: number;
}

interface Row {
	text: string;
	color?: string;
	bold?: boolean;
	dim?: boolean;
}

function linkLine(state: UiState): string {
	const {link} = state.latest;
	const address = screenLine(link.address);
	switch (link.status) {
		case 'hosting':
			return `Listening on ${address} (this window hosts the server).`;
		case 'replay':
			return `Replaying ${address}.`;
		case 'connected':
			return `Connected to ${address}.`;
		default:
			return `Server: ${address || '…'} (${link.status}).`;
	}
}

function rowsFor(state: UiState): Row[] {
	if (state.latest.received === 0) {
		const rows: Row[] = [
			{text: 'No events yet.', bold: true},
			{text: ''},
			{text: linkLine(state)},
			{text: ''},
		];
		const claudeMpm = state.latest.link.flavor === 'claude-mpm';
		if (claudeMpm) {
			// mpm-tui's forwarder posts the bare hook payload, which claude-mpm's server passes on empty.
			rows.push(
				{text: "This is a claude-mpm monitor: claude-mpm's own hooks feed it."},
				{text: "  Start claude where claude-mpm's hooks are set up.", color: 'cyan'},
				{text: "  (mpm-tui's hooks post a form claude-mpm does not read.)", dim: true},
				{text: ''},
			);
		} else if (state.latest.link.status !== 'replay') {
			rows.push(
				{text: "Send Claude Code's hook events here:"},
				{text: '  mpm-tui hooks install', color: 'cyan'},
				{text: '  then start (or restart) claude in any project.', dim: true},
				{text: ''},
			);
		}
		if (state.demoAvailable) {
			rows.push(
				{text: 'Or see it working now:'},
				{text: '  press d to start the demo stream', color: 'cyan'},
			);
			if (claudeMpm)
				rows.push({
					text: '  (posted to claude-mpm as its hook posts; its dashboard shows it too)',
					dim: true,
				});
			rows.push({text: ''});
		}
		rows.push({text: 'Press ? for all keys, q to quit.', dim: true});
		return rows;
	}
	if (state.search.applied)
		return [
			{text: `No events match the search "${screenLine(state.search.applied)}".`},
			{text: 'Esc clears the search.', dim: true},
		];
	if (state.filter.applied) {
		const warning: Row[] = state.filter.warning
			? [{text: `⚠ ${screenLine(state.filter.warning)}`, color: 'yellow'}]
			: [];
		return [
			{text: `No events match the filter: ${screenLine(state.filter.applied)}`},
			...warning,
			{text: 'f edits the filter; Esc clears it.', dim: true},
		];
	}
	return [
		{text: 'View cleared. New events appear here as they arrive.'},
		{text: 'The server keeps its history (mpm-tui tail --since 0).', dim: true},
	];
}

export function EmptyState({state, width, height}: Props) {
	const rows = rowsFor(state).slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column" width={width} height={height} paddingLeft={width >= 70 ? 2 : 0}>
			{rows.map((row, i) => (
				<Text key={i} wrap="truncate-end" color={row.color} bold={row.bold} dimColor={row.dim}>
					{row.text === '' ? ' ' : row.text}
				</Text>
			))}
		</Box>
	);
}
