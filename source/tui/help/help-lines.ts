/**
 * What the help overlay (`?`) lists: the status words of the tab on screen first (the Tools,
 * Agents and Sessions tabs), then every key, then the other tabs' status words. The reducer
 * reads the same lines to know how far the help scrolls.
 */
import {legends} from '../tabs/status-words.js';
import {keyHelp} from '../keys/keymap.js';

export type HelpLine = {kind: 'heading'; text: string} | {kind: 'row'; left: string; right: string};

const cache = new Map<number, readonly HelpLine[]>();

export function helpLines(tab: number): readonly HelpLine[] {
	const known = cache.get(tab);
	if (known !== undefined) return known;
	const lines: HelpLine[] = [];
	const addLegend = (legend: (typeof legends)[number]) => {
		lines.push({kind: 'heading', text: `${legend.title}: status words`});
		for (const [shown, meaning] of legend.lines) lines.push({kind: 'row', left: shown, right: meaning});
	};
	const own = legends.find(legend => legend.tab === tab);
	if (own !== undefined) addLegend(own);
	lines.push({kind: 'heading', text: 'Keys'});
	for (const [keys, what] of keyHelp) lines.push({kind: 'row', left: keys, right: what});
	for (const legend of legends) if (legend !== own) addLegend(legend);
	cache.set(tab, lines);
	return lines;
}

/** The furthest the help scrolls with `visible` lines for it. */
export function helpMaxScroll(tab: number, visible: number): number {
	return Math.max(0, helpLines(tab).length - Math.max(1, visible));
}
