/**
 * Keys that mean the same everywhere (quit, help, tabs, pause) and the text-entry keys of the
 * input line. Tab-specific keys live next to each tab (`tabs/<name>/…-keys.ts`).
 */
import type {Intent} from '../app/intents.js';
import type {KeyInfo, UiState} from '../app/ui-state.js';

export const tabCount = 5;

export function isEnter(input: string, key: KeyInfo): boolean {
	return Boolean(key.return) || input === '\r' || input === '\n';
}

/** Keys while the search, filter or export line is being edited. */
export function inputLineKeys(input: string, key: KeyInfo): Intent[] {
	if (key.ctrl && input === 'c') return [{do: 'quit'}];
	if (isEnter(input, key)) return [{do: 'submit'}];
	if (key.escape) return [{do: 'cancel'}];
	if (key.backspace || key.delete) return [{do: 'erase'}];
	if (key.ctrl && input === 'w') return [{do: 'eraseWord'}];
	if (key.ctrl && input === 'u') return [{do: 'eraseLine'}];
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return [];
	if (key.pageUp || key.pageDown || key.home || key.end) return [];
	// Pasted text may hold line breaks or control characters: keep it on one line.
	const text = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
	return text === '' ? [] : [{do: 'type', text}];
}

/** Keys every tab shares. `null`: not a global key, ask the tab. */
export function globalKeys(state: UiState, input: string, key: KeyInfo): Intent[] | null {
	if (key.ctrl && input === 'c') return [{do: 'quit'}];
	if (state.mode === 'help') {
		if (input === 'q') return [{do: 'quit'}];
		const page = Math.max(1, state.rows);
		if (input === 'j' || key.downArrow) return [{do: 'helpScroll', delta: 1}];
		if (input === 'k' || key.upArrow) return [{do: 'helpScroll', delta: -1}];
		if (input === ' ' || key.pageDown) return [{do: 'helpScroll', delta: page}];
		if (input === 'b' || key.pageUp) return [{do: 'helpScroll', delta: -page}];
		if (input === 'g' || key.home) return [{do: 'helpScroll', delta: -Infinity}];
		if (input === 'G' || key.end) return [{do: 'helpScroll', delta: Infinity}];
		return [{do: 'help'}]; // any other key closes the help
	}
	if (key.ctrl) return null;
	if (input === 'q' && !key.meta) return [{do: 'quit'}];
	if (input === '?') return [{do: 'help'}];
	if (key.tab) return [{do: 'tabStep', delta: key.shift ? -1 : 1}];
	if (/^[1-5]$/.test(input)) return [{do: 'tab', index: Number(input) - 1}];
	if (input === 'p') return [{do: 'pause'}];
	return null;
}

/** Every key, for the help overlay and docs/keys.md. */
export const keyHelp: ReadonlyArray<readonly [keys: string, what: string]> = [
	['j / k  ↓ / ↑', 'next / previous event or row'],
	['g / G  Home / End', 'first / last (on Events, G and End turn follow on)'],
	['PgDn / PgUp  Space / b', 'a screen down / up'],
	['Ctrl-d / Ctrl-u', 'half a screen down / up'],
	['F', 'follow new events on / off (scrolling up leaves follow)'],
	['Enter', 'open: the event / the call\'s records / the agent\'s calls / scope to the session'],
	['Esc', 'back; in a list: clear the search, then the filter'],
	['/', 'fuzzy search on this tab (Events: summary, tool, type, session); Enter keeps it'],
	['n / N', 'next / previous search match'],
	['f', 'filter line: type:PreToolUse tool:Bash session:5b1e agent:… -type:Notification text'],
	['e', 'export the listed events (.json: a JSON array, else NDJSON)'],
	['s / S', 'scope every tab to the selected row\'s session / clear the scope'],
	['o', 'Tools: sort by time / by duration'],
	['c', 'clear the view and the tabs (the server keeps its history)'],
	['p', 'pause the view (events keep arriving; the badge counts them)'],
	['d', 'start the demo stream (from the empty screen)'],
	['1–5  Tab / Shift-Tab', 'Events · Tools · Agents · Files · Sessions'],
	['?', 'this help: status words and keys (j/k scroll, any other key closes it)'],
	['q  Ctrl-c', 'quit'],
];
