/**
 * What the help overlay (`?`) lists: the status words of the tab on screen first, then every key
 * (from the key table, by where it applies), then the other tabs' status words. A key column too
 * narrow for a row's keys puts them on a line of their own, its meaning indented below. The
 * reducer reads the same lines to know how far the help scrolls.
 */
import {keySections} from '../keys/key-sections.js';
import {tabs, type TabId} from '../tabs/registry.js';
import type {LegendLine} from '../tabs/tab.js';
import {chromeLegend} from '../chrome/chrome-legend.js';
import {textWidth} from '../text/cells.js';

/** A heading, a row of two columns (keys or mark, meaning), or a line across the width. */
export type HelpLine =
	{kind: 'heading'; text: string} | {kind: 'row'; left: string; right: string} | {kind: 'text'; text: string};

/** Cells of the key column at a width. */
export function helpKeyWidth(width: number): number {
	return width >= 80 ? 24 : 16;
}

const cache = new Map<string, readonly HelpLine[]>();

export function helpLines(tab: TabId, width: number): readonly HelpLine[] {
	const keyWidth = helpKeyWidth(width);
	const cacheKey = `${tab}\u0000${keyWidth}\u0000${width}`;
	const known = cache.get(cacheKey);
	if (known !== undefined) return known;
	const lines: HelpLine[] = [];
	const addRow = (left: string, right: string) => {
		// One cell of gap between the columns; keys that do not fit take a line of their own.
		if (textWidth(left) < keyWidth && textWidth(right) <= width - keyWidth)
			lines.push({kind: 'row', left, right});
		else lines.push({kind: 'text', text: left}, {kind: 'text', text: `  ${right}`});
	};
	const addLegend = (title: string, legend: readonly LegendLine[]) => {
		lines.push({kind: 'heading', text: `${title}: status words`});
		for (const [shown, meaning] of legend) addRow(shown, meaning);
	};
	const own = tabs.find((t) => t.id === tab);
	if (own?.legend) addLegend(own.title, own.legend);
	for (const section of keySections()) {
		lines.push({kind: 'heading', text: `Keys: ${section.title}`});
		for (const row of section.rows)
			addRow(row.keys.join('  '), row.when ? `${row.description} (${row.when})` : row.description);
	}
	for (const other of tabs) if (other !== own && other.legend) addLegend(other.title, other.legend);
	addLegend('Header', chromeLegend);
	for (const {title, labels} of tabs) {
		if (!labels) continue;
		lines.push({kind: 'heading', text: `${title}: ${labels.title}`});
		for (const [shown, meaning] of labels.lines) addRow(shown, meaning);
	}
	cache.set(cacheKey, lines);
	return lines;
}

/** The furthest the help scrolls with `visible` lines for it. */
export function helpMaxScroll(tab: TabId, visible: number, width: number): number {
	return Math.max(0, helpLines(tab, width).length - Math.max(1, visible));
}
