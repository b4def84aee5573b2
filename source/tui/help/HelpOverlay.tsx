/**
 * `?`: the status words of the tab on screen, every key, the other tabs' status words — in the
 * body's space, scrolled with j/k (any other key closes it).
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../text/Text.js';
import type {TabId} from '../tabs/registry.js';
import {fit} from '../text/cells.js';
import {helpKeyWidth, helpLines} from './help-lines.js';

interface Props {
	width: number;
	height: number;
	/** The tab on screen (its status words come first). */
	tab: TabId;
	/** First help line on screen. */
	scroll: number;
}

export function HelpOverlay({width, height, tab, scroll}: Props) {
	const leftWidth = helpKeyWidth(width);
	const lines = helpLines(tab, width);
	const room = Math.max(0, height - 1);
	const top = Math.max(0, Math.min(scroll, lines.length - room));
	const shown = lines.slice(top, top + room);
	const below = lines.length - top - shown.length;
	// Where the help is comes first: a narrow pane cuts the end of the line.
	const where = top > 0 || below > 0 ? ` · lines ${top + 1}–${top + shown.length} of ${lines.length}` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate-end" bold>
				{fit(`Help${where} — j/k scroll, any other key closes it`, width)}
			</Text>
			{shown.map((line, i) =>
				line.kind === 'heading' ? (
					<Text key={top + i} wrap="truncate-end" bold>
						{fit(line.text, width)}
					</Text>
				) : line.kind === 'text' ? (
					<Text key={top + i} wrap="truncate-end" color={line.text.startsWith(' ') ? undefined : 'cyan'}>
						{fit(line.text, width)}
					</Text>
				) : (
					<Text key={top + i} wrap="truncate-end">
						<Text color="cyan">{fit(line.left, leftWidth - 1) + ' '}</Text>
						<Text>{fit(line.right, Math.max(0, width - leftWidth))}</Text>
					</Text>
				),
			)}
		</Box>
	);
}
