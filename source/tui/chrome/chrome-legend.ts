/**
 * The marks and words of the header and the tab bar, for the `?` help and docs/keys.md (the same
 * shape as a tab's legend: what is shown, what it means in at most 56 characters).
 */
import type {LegendLine} from '../tabs/tab.js';

export const chromeLegend: readonly LegendLine[] = [
	['● hosting <address>', 'this window runs the server (green)'],
	['● connected <address>', 'connected to a server another process runs'],
	['◌ starting <address>', 'finding or starting the server (before the link)'],
	['◌ connecting', 'opening the link to the server'],
	['◌ reconnecting (attempt N)', 'the link broke; trying again (yellow)'],
	['✖ unauthorized', 'the server refused the token: check --token (red)'],
	['✖ disconnected', 'the server closed the link (red)'],
	['▶ replay <file>', 'playing a recording (×N: its speed)'],
	['(claude-mpm)', 'the server is a claude-mpm monitor'],
	['⚠ <problem> +N', 'the server needs you (e.g. its journal cannot write)'],
	['N waiting', 'sessions waiting for you (yellow)'],
	['$N today', 'the $ of API requests since midnight (green; Usage tab)'],
	['N sessions, N events', 'seen since start (history included)'],
	['N/min', 'events that arrived in the last minute'],
	['N errors', 'errors as is:error counts them (red when any)'],
	['ses, ev, /m, err, wait, $N', 'the same, in a narrow pane (/m, $, ses, ev drop first)'],
	['◆ session <id>', 'tab bar: every tab shows this session only (S)'],
	['filter: <text>', 'tab bar: the filter in force (f; Esc clears)'],
	['[N Title]', 'tab bar: the tab on screen, where styles are off'],
];
