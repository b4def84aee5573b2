/**
 * `?`: every key, in the body's space (any key closes it).
 */
import React from 'react';
import {Box, Text} from 'ink';
import {keyHelp} from '../keys/keymap.js';
import {fit} from '../text/cells.js';

interface Props {
	width: number;
	height: number;
}

export function HelpOverlay({width, height}: Props) {
	const keyWidth = width >= 80 ? 24 : 16;
	const room = Math.max(0, height - 1);
	const rows = keyHelp.length > room ? keyHelp.slice(0, Math.max(0, room - 1)) : keyHelp;
	const cut = keyHelp.length - rows.length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate-end" bold>
				{fit('Keys — any key closes this help', width)}
			</Text>
			{rows.map(([keys, what]) => (
				<Text key={keys} wrap="truncate-end">
					<Text color="cyan">{fit(keys, keyWidth)}</Text>
					<Text>{fit(what, Math.max(0, width - keyWidth))}</Text>
				</Text>
			))}
			{cut > 0 ? (
				<Text wrap="truncate-end" dimColor>
					{fit(`… ${cut} more: make the pane taller, or see docs/keys.md`, width)}
				</Text>
			) : null}
		</Box>
	);
}
