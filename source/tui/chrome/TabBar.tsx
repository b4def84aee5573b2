/**
 * The second line: the tabs with their number keys (the active one stands out: inverse, or in
 * brackets where the terminal gets no styles), then the session every tab is scoped to, when one
 * is (`s` on a session; `S` clears it), then the filter in force (`f`), its text cut to what is
 * left of the line.
 */
import React from 'react';
import {Text, usePaint} from '../text/Text.js';
import {screenLine} from '../text/screen-line.js';
import {shortSession} from '../../core/search.js';
import type {TabDefinition} from '../tabs/tab.js';
import {cut, textWidth} from '../text/cells.js';

interface Props {
	tabs: readonly TabDefinition[];
	/** The id of the tab on screen. */
	active: string;
	width: number;
	scope?: string | null;
	/** The filter in force, as typed (empty: none). */
	filter?: string;
}

const FILTER_LABEL = 'filter: ';

export function TabBar({tabs, active, width, scope, filter = ''}: Props) {
	const plain = usePaint() === 'plain';
	const gap = width >= 70 ? '  ' : ' ';
	const scopeText = scope ? `${gap}◆ ${width >= 70 ? 'session ' : ''}${screenLine(shortSession(scope))}` : '';
	const filterText = screenLine(filter);
	const title = (tab: TabDefinition, i: number, short: boolean) =>
		short && tab.id !== active ? ` ${i + 1} ` : ` ${i + 1} ${tab.title} `;
	const tabsWidth = (short: boolean) =>
		tabs.reduce((sum, tab, i) => sum + (i > 0 ? textWidth(gap) : 0) + textWidth(title(tab, i, short)), 0);
	const filterWant = filterText === '' ? 0 : textWidth(gap + FILTER_LABEL + filterText);
	// Too narrow for every title (with the scope and the whole filter): the other tabs show only their numbers.
	const short = tabsWidth(false) + textWidth(scopeText) + filterWant > width;
	const room = width - tabsWidth(short) - textWidth(scopeText) - textWidth(gap + FILTER_LABEL);
	const shownFilter = filterText === '' || room < 1 ? '' : cut(filterText, room);
	return (
		<Text wrap="truncate-end">
			{tabs.map((tab, i) => (
				<Text key={tab.id}>
					{i > 0 ? gap : ''}
					{tab.id === active ? (
						<Text inverse bold>
							{plain ? `[${i + 1} ${tab.title}]` : title(tab, i, short)}
						</Text>
					) : (
						<Text dimColor>{title(tab, i, short)}</Text>
					)}
				</Text>
			))}
			{scopeText ? (
				<Text color="cyan" bold>
					{scopeText}
				</Text>
			) : null}
			{shownFilter ? (
				<Text color="cyan">
					{gap + FILTER_LABEL}
					{shownFilter}
				</Text>
			) : null}
		</Text>
	);
}
