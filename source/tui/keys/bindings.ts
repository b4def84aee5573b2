/**
 * The key table: every key the monitor answers, as data — the command, its keys, what it does,
 * and where it applies. The key handling (key-table.ts), the `?` help and docs/keys.md are all
 * read from it (`npm run docs:keys` writes the docs' table; a test checks it is up to date).
 * Each tab adds its own keys in its folder (`bindings` of its TabDefinition).
 */
import type {Intent} from '../app/intents.js';
import type {KeyInfo, UiState} from '../app/ui-state.js';

/**
 * Where a binding applies: `anywhere` (every mode, the input lines too), `screen` (a list or the
 * detail view), `list` (a tab's rows or events), `detail` (an opened event or row), `help` (the
 * `?` overlay), `line` (the search, filter and export lines).
 */
export type Place = 'anywhere' | 'screen' | 'list' | 'detail' | 'help' | 'line';

export interface Binding {
	/** A stable name, e.g. `list.move`. */
	command: string;
	/** Key specs (keys/match-key.ts): `j`, `down`, `ctrl+d`, `shift+tab`, `other`. */
	keys: readonly string[];
	intent: Intent | ((input: string, key: KeyInfo) => Intent[]);
	/** The opposite direction, listed with it (`j / k`). */
	pair?: {keys: readonly string[]; intent: Intent};
	/** What it does, within 56 characters (the help's width at 80 columns). */
	description: string;
	/** More for docs/keys.md. */
	more?: string;
	where: Place;
	/** Applies only when `test` holds; `text` says when (help and docs). */
	when?: {test: (state: UiState) => boolean; text: string};
	/** The tab whose own key this is (set by the key table from the tab's definition). */
	tab?: string;
}

const digits = (count: number) => Array.from({length: Math.min(9, count)}, (_, i) => String(i + 1));

/** What the input lines do with any other key: type it (pasted breaks and controls become spaces), or nothing for a key that is not text. */
function typed(input: string, key: KeyInfo): Intent[] {
	if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow)
		return [];
	if (key.pageUp || key.pageDown || key.home || key.end) return [];
	const text = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
	return text === '' ? [] : [{do: 'type', text}];
}

/** The keys every tab shares; `titles` are the tabs' titles in order (the number keys). */
export function sharedBindings(titles: readonly string[]): Binding[] {
	return [
		{
			command: 'app.quit',
			keys: ['ctrl+c'],
			intent: {do: 'quit'},
			description: 'quit (also while typing in a line)',
			where: 'anywhere',
		},
		{
			command: 'app.quit',
			keys: ['q'],
			intent: {do: 'quit'},
			description: 'quit',
			more: 'the terminal is restored and a hosted server shuts down gracefully',
			where: 'screen',
		},
		{
			command: 'app.help',
			keys: ['?'],
			intent: {do: 'help'},
			description: 'this help: status words and keys',
			where: 'screen',
		},
		{
			command: 'tabs.go',
			keys: digits(titles.length),
			intent: (input) => [{do: 'tab', index: Number(input) - 1}],
			description: titles.join(' · '),
			where: 'screen',
		},
		{
			command: 'tabs.step',
			keys: ['tab'],
			intent: {do: 'tabStep', delta: 1},
			pair: {keys: ['shift+tab'], intent: {do: 'tabStep', delta: -1}},
			description: 'next / previous tab',
			where: 'screen',
		},
		{
			command: 'app.pause',
			keys: ['p'],
			intent: {do: 'pause'},
			description: 'pause every tab (events keep arriving, the badge counts)',
			more: 'each tab shows what it had at the pause, the header stays live; `p` again shows what came. In `--replay` it also pauses the playback',
			where: 'screen',
		},

		{
			command: 'list.move',
			keys: ['j', 'down'],
			intent: {do: 'move', delta: 1},
			pair: {keys: ['k', 'up'], intent: {do: 'move', delta: -1}},
			description: 'next / previous row',
			where: 'list',
		},
		{
			command: 'list.edge',
			keys: ['g', 'home'],
			intent: {do: 'top'},
			pair: {keys: ['G', 'end'], intent: {do: 'bottom'}},
			description: 'first / last row (Events: G and End turn follow on)',
			where: 'list',
		},
		{
			command: 'list.page',
			keys: ['pagedown', 'space', 'ctrl+f'],
			intent: {do: 'page', factor: 1},
			pair: {keys: ['pageup', 'b', 'ctrl+b'], intent: {do: 'page', factor: -1}},
			description: 'a screen down / up',
			where: 'list',
		},
		{
			command: 'list.half',
			keys: ['ctrl+d'],
			intent: {do: 'page', factor: 0.5},
			pair: {keys: ['ctrl+u'], intent: {do: 'page', factor: -0.5}},
			description: 'half a screen down / up',
			where: 'list',
		},
		{
			command: 'list.open',
			keys: ['enter', 'l', 'right'],
			intent: {do: 'openDetail'},
			description: "open: the event, a call's records, an agent's calls",
			more: "Files: the file's entry · Sessions: scope every tab to the session (like `s`)",
			where: 'list',
		},
		{
			command: 'list.search',
			keys: ['/'],
			intent: {do: 'startInput', mode: 'search'},
			description: 'fuzzy search on this tab; Enter keeps it',
			more: 'each tab keeps its own search (Events: summary, tool, type, session · Tools: tool, target, agent, status, session, error · Agents: type, task, status, last message · Files: path, last tool, agent · Sessions: id, state, cwd, prompt, what it waits for)',
			where: 'list',
		},
		{
			command: 'list.match',
			keys: ['n'],
			intent: {do: 'nextMatch', delta: 1},
			pair: {keys: ['N'], intent: {do: 'nextMatch', delta: -1}},
			description: 'next / previous search match (wraps around)',
			where: 'list',
		},
		{
			command: 'list.filter',
			keys: ['f'],
			intent: {do: 'startInput', mode: 'filter'},
			description: 'filter line: type:PreToolUse tool:Bash -type:Stop',
			more: 'the filter selects the events that feed every tab; the tab bar shows it (`filter: type:Stop`, cut to fit)',
			where: 'list',
		},
		{
			command: 'list.escape',
			keys: ['escape'],
			intent: {do: 'escape'},
			description: "clear this tab's search; again: clear the filter",
			where: 'list',
		},
		{
			command: 'list.export',
			keys: ['e'],
			intent: {do: 'startInput', mode: 'export'},
			description: 'export listed events (.json: JSON array, else NDJSON)',
			more: 'exactly what the Events list holds, from any tab',
			where: 'list',
		},
		{
			command: 'list.scope',
			keys: ['s'],
			intent: {do: 'scopeSelected'},
			pair: {keys: ['S'], intent: {do: 'scope', session: null}},
			description: "scope every tab to the row's session / clear the scope",
			more: 'the tab bar shows `◆ session 5b1e0c9a`; `s` on the scoped session again clears it',
			where: 'list',
		},
		{
			command: 'list.clear',
			keys: ['c'],
			intent: {do: 'clear'},
			description: 'clear the view and tabs (the server keeps its history)',
			where: 'list',
		},
		{
			command: 'app.demo',
			keys: ['d'],
			intent: {do: 'demo'},
			description: 'start the demo stream',
			where: 'list',
			when: {
				test: (state) => state.demoAvailable && state.latest.received === 0,
				text: 'nothing received yet',
			},
		},

		{
			command: 'detail.scroll',
			keys: ['j', 'down', 'enter'],
			intent: {do: 'detailMove', delta: 1},
			pair: {keys: ['k', 'up'], intent: {do: 'detailMove', delta: -1}},
			description: 'scroll a line down / up',
			where: 'detail',
		},
		{
			command: 'detail.page',
			keys: ['pagedown', 'space'],
			intent: {do: 'detailPage', factor: 1},
			pair: {keys: ['pageup', 'b'], intent: {do: 'detailPage', factor: -1}},
			description: 'scroll a screen down / up',
			where: 'detail',
		},
		{
			command: 'detail.half',
			keys: ['ctrl+d'],
			intent: {do: 'detailPage', factor: 0.5},
			pair: {keys: ['ctrl+u'], intent: {do: 'detailPage', factor: -0.5}},
			description: 'scroll half a screen down / up',
			where: 'detail',
		},
		{
			command: 'detail.edge',
			keys: ['g', 'home'],
			intent: {do: 'detailTop'},
			pair: {keys: ['G', 'end'], intent: {do: 'detailBottom'}},
			description: 'top / end',
			where: 'detail',
		},
		{
			command: 'detail.back',
			keys: ['escape', 'h', 'left', 'backspace'],
			intent: {do: 'back'},
			description: 'back to the list',
			where: 'detail',
		},

		{command: 'help.quit', keys: ['q'], intent: {do: 'quit'}, description: 'quit', where: 'help'},
		{
			command: 'help.scroll',
			keys: ['j', 'down'],
			intent: {do: 'helpScroll', delta: 1},
			pair: {keys: ['k', 'up'], intent: {do: 'helpScroll', delta: -1}},
			description: 'scroll a line down / up',
			where: 'help',
		},
		{
			command: 'help.page',
			keys: ['pagedown', 'space', 'ctrl+f'],
			intent: {do: 'helpPage', factor: 1},
			pair: {keys: ['pageup', 'b', 'ctrl+b'], intent: {do: 'helpPage', factor: -1}},
			description: 'scroll a screen down / up',
			where: 'help',
		},
		{
			command: 'help.half',
			keys: ['ctrl+d'],
			intent: {do: 'helpPage', factor: 0.5},
			pair: {keys: ['ctrl+u'], intent: {do: 'helpPage', factor: -0.5}},
			description: 'scroll half a screen down / up',
			where: 'help',
		},
		{
			command: 'help.edge',
			keys: ['g', 'home'],
			intent: {do: 'helpScroll', delta: -Infinity},
			pair: {keys: ['G', 'end'], intent: {do: 'helpScroll', delta: Infinity}},
			description: 'top / end of the help',
			where: 'help',
		},
		{
			command: 'help.close',
			keys: ['other'],
			intent: {do: 'help'},
			description: 'close the help: back to the list or detail it was on',
			where: 'help',
		},

		{
			command: 'line.submit',
			keys: ['enter'],
			intent: {do: 'submit'},
			description: 'search: keep it · filter: apply · export: write',
			more: 'a filter that does not parse stays on the line, in red, its error (with a `did you mean`) after it — a long input gives way to the error down to its last few characters; a `type:` no event has and no hook is named is applied, with a `⚠` in the footer',
			where: 'line',
		},
		{
			command: 'line.cancel',
			keys: ['escape'],
			intent: {do: 'cancel'},
			description: 'search: clear it · filter, export: cancel',
			more: 'the filter in force stays',
			where: 'line',
		},
		{
			command: 'line.erase',
			keys: ['backspace'],
			intent: {do: 'erase'},
			description: 'delete a character',
			where: 'line',
		},
		{
			command: 'line.eraseWord',
			keys: ['ctrl+w'],
			intent: {do: 'eraseWord'},
			description: 'delete a word',
			where: 'line',
		},
		{
			command: 'line.eraseLine',
			keys: ['ctrl+u'],
			intent: {do: 'eraseLine'},
			description: 'delete the whole line',
			where: 'line',
		},
		{
			command: 'line.type',
			keys: ['other'],
			intent: typed,
			description: 'type it (the search narrows as you type)',
			where: 'line',
		},
	];
}
