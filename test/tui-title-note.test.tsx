/**
 * The title line's note on the row tabs (ink-testing-library, the real App): in narrow panes the
 * state words — `⏸ paused`, `filtered`, a search — stay on the title line of Tools and Sessions
 * (the sort order and the position give way first, then the column's title), and no line is
 * wider than the pane.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {demoRecords, pressKeys, waitForFrame} from './helpers/tui-kit.js';

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
	store.append(demoRecords(80), Date.now());
	return app;
}

/** Line 3 of the screen: the tab's title line. */
const titleOf = (frame: string) => frame.split('\n')[2] ?? '';

describe('the title note in narrow panes', () => {
	for (const [columns, rows] of [
		[60, 15],
		[80, 24],
	] as const)
		it(`${columns}×${rows}: Tools and Sessions keep paused, filtered and the search on their title line`, async () => {
			const app = mount(columns, rows);
			const title = async (check: (line: string) => boolean, what: string) => {
				const frame = await waitForFrame(app.lastFrame, (f) => check(titleOf(f)), 3000, what);
				for (const line of frame.split('\n'))
					assert.ok(stringWidth(line) <= columns, `a line wider than ${columns}: ${line}`);
				return titleOf(frame);
			};
			await pressKeys(app, '2');
			assert.match(await title((l) => l.includes('tool'), 'Tools'), /target +by time {2}1\/\d+ /);
			await pressKeys(app, 'p');
			await title((l) => l.includes('⏸ paused'), 'Tools: ⏸ paused');
			await pressKeys(app, 'f', ...'is:tool', '\r');
			await title((l) => l.includes('filtered · ⏸ paused'), 'Tools: filtered · ⏸ paused');
			await pressKeys(app, '/', ...'ts', '\r');
			await title(
				(l) => /\/ts: \d+ match(es)? · filtered · ⏸ paused/.test(l),
				'Tools: the search, filtered, paused',
			);
			await pressKeys(app, '5');
			await title(
				(l) => l.includes('filtered · ⏸ paused') && l.includes('session'),
				'Sessions: filtered · ⏸ paused',
			);
			await pressKeys(app, '/', ...'app', '\r');
			await title(
				(l) => /\/app: \d+ match(es)? · filtered · ⏸ paused/.test(l),
				'Sessions: the search, filtered, paused',
			);
		});
});
