/**
 * The second line: the tabs with their number keys (the active one stands out: inverse, or in
 * brackets where the terminal gets no styles), then the session every tab is scoped to, when one
 * is (`s` on a session; `S` clears it).
 */
import React from 'react';
import {Text, usePaint} from '../text/Text.js';
import {screenLine} from '../text/screen-line.js';
import {shortSession} from '../../core/search.js';
import type {TabDefinition} from '../tabs/tab.js';
import {textWidth} from '../text/cells.js';

interface Props {
	tabs: readonly TabDefinition[];
	/** The id of the tab on screen. */
	active: string;
	width: number;
	scope?: string | null;
}

export function TabBar({tabs, active, width, scope}: Props) {
	const plain = usePaint() === 'plain';
	const gap = width >= 70 ? '  ' : ' ';
	const scopeText = scope ? `${gap}◆ ${width >= 70 ? 'session ' : ''}${screenLine(shortSession(scope))}` : '';
	const full = tabs.reduce((sum, tab, i) => sum + (i > 0 ? textWidth(gap) : 0) + textWidth(` ${i + 1} ${tab.title} `), 0);
	// Too narrow for every title and the scope: the other tabs show only their numbers.
	const short = scope !== null && scope !== undefined && full + textWidth(scopeText) > width;
	return (
		<Text wrap="truncate-end">
			{tabs.map((tab, i) => (
				<Text key={tab.id}>
					{i > 0 ? gap : ''}
					{tab.id === active ? (
						<Text inverse bold>{plain ? `[${i + 1} ${tab.title}]` : ` ${i + 1} ${tab.title} `}</Text>
					) : (
						<Text dimColor>{short ? ` ${i + 1} ` : ` ${i + 1} ${tab.title} `}</Text>
					)}
				</Text>
			))}
			{scopeText ? (
				<Text color="cyan" bold>
					{scopeText}
				</Text>
			) : null}
		</Text>
	);
}
