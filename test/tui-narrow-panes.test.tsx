/**
 * Narrow panes with two sessions (ink-testing-library, the real App): every row of the Events,
 * Tools and Agents lists says which session it belongs to (the first characters of the id) at
 * 40×12, 60×15 and 80×24; the `?` help scrolls to its end with the list keys, its key column
 * never runs into the text, and no line is wider than the pane.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {helpLines} from '../source/tui/help/help-lines.js';
import {demoRecords, keys, pressKeys, strip, waitForFrame} from './helpers/tui-kit.js';

const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

function mount(columns: number, rows: number) {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	const app = render(
		<App
			store={store}
			size={{columns, rows}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			defaultExportPath={() => './x.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
		/>,
	);
	return {
		store,
		app,
		until: (check: (frame: string) => boolean, what: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
	};
}

const sizes = [
	[40, 12],
	[60, 15],
	[80, 24],
] as const;

describe('narrow panes with two sessions', () => {
	for (const [columns, rows] of sizes) {
		it(`${columns}×${rows}: each Events, Tools and Agents row names its session`, async () => {
			const records = demoRecords(80);
			const sessions = [...new Set(records.map((r) => r.session))];
			assert.equal(sessions.length, 2);
			const marks = sessions.map((s) => (s ?? '').slice(0, 4));
			assert.notEqual(marks[0], marks[1], 'the two ids differ in their first characters');
			const t = mount(columns, rows);
			t.store.append(records, Date.now());
			for (const [key, name, title] of [
				['1', 'Events', /^ +time +(sess|session) /],
				['2', 'Tools', /^ +(sess +)?(time +)?tool /],
				['3', 'Agents', /^ +sess +type /],
			] as const) {
				await pressKeys(t.app, key);
				const frame = await t.until((f) => title.test(f.split('\n')[2] ?? ''), `the ${name} tab`);
				const lines = frame.split('\n');
				for (const line of lines)
					assert.ok(stringWidth(line) <= columns, `${name}: a line wider than ${columns}: ${line}`);
				const body = lines.slice(3, -1).filter((l) => l.trim() !== '');
				assert.ok(body.length > 0, `${name}: rows shown`);
				const seen = new Set<string>();
				for (const row of body) {
					const mark = marks.find((m) => new RegExp(` ${m}`).test(row));
					assert.ok(mark, `${name}: a row without its session at ${columns} columns: ${JSON.stringify(row)}`);
					seen.add(mark);
				}
				if (name !== 'Agents')
					assert.equal(seen.size, 2, `${name}: both sessions' rows are told apart:\n${frame}`);
			}
		});

		it(`${columns}×${rows}: the help scrolls with the list keys; keys never run into their meaning`, async () => {
			const t = mount(columns, rows);
			await pressKeys(t.app, '?');
			let frame = await t.until((f) => f.includes('Help'), 'the help');
			const lines = helpLines('events', columns);
			const lastLine = lines.at(-1);
			assert.ok(lastLine && lastLine.kind !== 'heading');
			// The help's last line: a key or label row, or the meaning put on a line of its own.
			// Its start: at 40 columns a meaning longer than the pane is cut with `…`.
			const last = {
				right: (lastLine.kind === 'row' ? lastLine.right : lastLine.text).trim().slice(0, columns - 12),
			};
			assert.ok(!frame.includes(last.right), 'the end of the help is below the pane');
			for (const [press, what] of [
				[['G'], 'G'],
				[['g', keys.end], 'End'],
				[['g', ...Array.from({length: 40}, () => keys.pageDown)], 'PgDn'],
				[['g', ...Array.from({length: lines.length}, () => 'j')], 'j'],
			] as const) {
				await pressKeys(t.app, ...press);
				frame = await t.until((f) => f.includes(last.right), `${what} to scroll to the end of the help`);
				assert.match(frame, /Help/, `${what} keeps the help open`);
			}
			await pressKeys(t.app, 'g');
			frame = await t.until((f) => f.includes('lines 1–'), 'g back to the top');
			// Every line fits, and a key column is followed by at least one blank before its meaning.
			for (let top = 0; ;) {
				for (const line of frame.split('\n'))
					assert.ok(stringWidth(line) <= columns, `help line wider than ${columns}: ${line}`);
				const match = /lines (\d+)–(\d+) of (\d+)/.exec(frame);
				assert.ok(match, frame);
				if (Number(match[2]) >= Number(match[3]) || top > 60) break;
				top++;
				await pressKeys(t.app, keys.pageDown);
				frame = strip(t.app.lastFrame());
			}
			for (const line of lines) {
				if (line.kind !== 'row') continue;
				const shown = strip(line.left);
				assert.ok(!shown.includes('…'), `keys shown whole: ${shown}`);
			}
		});
	}
});
