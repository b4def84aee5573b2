/**
 * The Usage tab on screen: the sessions with their usage, an opened session's prompts and
 * subagents, or an opened prompt's tool calls.
 */
import React from 'react';
import {clampCursor, openDetail, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {openedPrompt, openedUsage, usageRows} from './usage-rows.js';
import {usageCursor} from './usage-state.js';
import {UsagePromptDetail, UsageSessionDetail, UsageTable} from './UsageTable.js';

export function UsageTab(props: TabViewProps) {
	const {state, width, height} = props;
	const open = openDetail(props);
	if (open) return open;
	const cursor = usageCursor.get(state);
	const prompt = openedPrompt(state);
	if (prompt)
		return (
			<UsagePromptDetail
				prompt={prompt.prompt}
				cursor={clampCursor(cursor, prompt.tools.length)}
				width={width}
				height={height}
			/>
		);
	const opened = openedUsage(state);
	if (opened)
		return (
			<UsageSessionDetail
				session={opened.session}
				items={opened.items}
				cursor={clampCursor(cursor, opened.items.length)}
				width={width}
				height={height}
			/>
		);
	const rows = usageRows(state);
	return (
		<UsageTable
			cleared={state.shown.cleared}
			setup={!state.search.applied}
			rows={rows}
			cursor={clampCursor(cursor, rows.length)}
			width={width}
			height={height}
			note={rowNote(state, rows.length, state.usageSort === 'cost' ? 'by $' : 'by recent')}
			hooks={state.shown.views.usageTotals().hooks}
		/>
	);
}
