/**
 * The real renderer (Ink through ink-testing-library) at fixed widths with summaries full of
 * emoji, CJK, ZWJ and skin-tone sequences: every line of the frame is at most the width by
 * `string-width` (Ink's own measure, not the code under test), and every event is one line, so
 * no wrapped row pushes the rows after it down. The Events list and the Tools tab.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {post, pre, rec, T0} from './fixtures/view-sequences.js';
import {WIDE_COMMANDS} from './fixtures/wide-text.js';
import {pressKeys, waitForFrame} from './helpers/tui-kit.js';

// Colours on, as in a terminal: chalk reads this when Ink is first loaded.
process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

const EVENTS = 30;
const NOW = T0 + 60_000;

/** Bash calls with wide commands; every other one has ended. */
function wideRecords() {
	const records = [];
	for (let i = 0; i < EVENTS / 2; i++) {
		const command = WIDE_COMMANDS[i % WIDE_COMMANDS.length];
		const input = {command: command.replace(/^(\S+) /, `$1 r${i} `)};
		records.push(rec(pre('Bash', `toolu_w${i}`, input), i * 1000));
		records.push(rec(post('Bash', `toolu_w${i}`, input, {stdout: `✅ ${i}`}), i * 1000 + 500));
	}
	return records.map((record, i) => ({...record, seq: i + 1}));
}

function mount(columns: number, rows: number) {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	store.append(wideRecords(), NOW);
	const app = render(
		<App
			store={store}
			size={{columns, rows}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			now={() => NOW}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
		/>,
	);
	return app;
}

function assertNoLineWider(lines: string[], columns: number): void {
	for (const line of lines)
		assert.ok(
			stringWidth(line) <= columns,
			`a line of ${stringWidth(line)} cells in ${columns}: ${JSON.stringify(line)}`,
		);
}

describe('wide text at fixed widths', () => {
	for (const [columns, rows] of [
		[60, 15],
		[100, 24],
		[120, 30],
	] as const) {
		it(`${columns}×${rows}: the Events list and the Tools tab, one line per row, none wider than the pane`, async () => {
			const app = mount(columns, rows);
			const events = await waitForFrame(
				app.lastFrame,
				(f) => f.includes(`${EVENTS}/${EVENTS}`),
				3000,
				'the events list',
			);
			let lines = events.split('\n');
			assert.ok(lines.length <= rows - 1, `${lines.length} lines in ${rows - 1}`);
			assertNoLineWider(lines, columns);
			// Header, tab bar, column titles, the rows, the footer.
			const body = lines.slice(3, -1);
			assert.equal(body.length, rows - 5, `every list line is used:\n${events}`);
			for (const line of body)
				assert.match(
					line,
					/^[ ›](\d+ +)?\d\d:\d\d:\d\d /,
					`a row that does not start with its time (wrapped?): ${JSON.stringify(line)}\n${events}`,
				);
			// The rows are the last events, one each, in order, each cell on its event's line: a
			// summary wider than its column would wrap inside it and shift the summaries below.
			body.forEach((line, i) => {
				const k = EVENTS - body.length + i;
				const time = new Date(T0 + Math.floor(k / 2) * 1000 + (k % 2) * 500).toTimeString().slice(0, 8);
				assert.ok(
					line.includes(` ${time} `) || line.startsWith(`›${time} `),
					`row ${i} is not at ${time}: ${JSON.stringify(line)}`,
				);
				assert.match(
					line,
					new RegExp(`Bash  (echo|cat) r${Math.floor(k / 2)} `),
					`row ${i} does not show call r${Math.floor(k / 2)}:\n${events}`,
				);
			});

			await pressKeys(app, '2');
			const tools = await waitForFrame(
				app.lastFrame,
				(f) => /\d+\/15/.test(f) && f.split('\n')[1]?.includes('2 Tools') === true,
				3000,
				'the Tools tab',
			);
			lines = tools.split('\n');
			assert.ok(lines.length <= rows - 1, `${lines.length} lines in ${rows - 1}`);
			assertNoLineWider(lines, columns);
			const calls = lines.slice(3, -1).filter((line) => /Bash/.test(line));
			assert.equal(calls.length, Math.min(15, rows - 5), `one line per call:\n${tools}`);
			// Every row is whole: its last columns (took, and status and agent from 90 columns) are on it.
			for (const line of calls)
				assert.match(
					line,
					columns >= 90 ? /\b500ms ok +main\b/ : /\b500ms *$/,
					`a row cut short: ${JSON.stringify(line)}\n${tools}`,
				);
		});
	}
});
