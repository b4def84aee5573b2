/**
 * The Ink app with ink-testing-library: navigation, follow, detail, help, tabs, pause, clear,
 * quit, empty state, narrow widths.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import type {AppProps} from '../source/tui/app/App.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {demoRecords, keys, pressKeys, record, sleep, strip, waitForFrame} from './helpers/tui-kit.js';
import {hook, pre, seq} from './fixtures/view-sequences.js';

// Colours on (the cursor row is drawn inverse): chalk reads this when Ink is first loaded.
process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

interface Mounted {
	store: EventStore;
	app: ReturnType<typeof render>;
	calls: {quit: number; demo: number; pause: boolean[]};
	press: (...inputs: string[]) => Promise<void>;
	frame: () => string;
	until: (check: (frame: string) => boolean, what?: string) => Promise<string>;
}

function mount(
	options: {columns?: number; rows?: number; props?: Partial<AppProps>; capacity?: number} = {},
): Mounted {
	const store = new EventStore(options.capacity ?? 1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	const calls = {quit: 0, demo: 0, pause: [] as boolean[]};
	const app = render(
		<App
			store={store}
			size={{columns: options.columns ?? 100, rows: options.rows ?? 20}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => calls.quit++}
			onExport={async (file) => file}
			onDemo={() => calls.demo++}
			onPause={(paused) => calls.pause.push(paused)}
			{...options.props}
		/>,
	);
	const frame = () => strip(app.lastFrame());
	return {
		store,
		app,
		calls,
		frame,
		until: (check, what) => waitForFrame(app.lastFrame, check, 3000, what),
		press: (...inputs) => pressKeys(app, ...inputs),
	};
}

/** The row drawn inverse (the cursor), read from the coloured frame. */
function selectedRow(app: ReturnType<typeof render>): string {
	const line = (app.lastFrame() ?? '')
		.split('\n')
		.find((l) => l.includes('\u001B[7m') && !/ 1 Events /.test(strip(l)));
	return strip(line);
}

function bodyRows(frame: string): string[] {
	return frame.split('\n').slice(3, -1);
}

describe('tui app', () => {
	it('teaches in the empty state and starts the demo with d', async () => {
		const t = mount();
		const frame = await t.until((f) => f.includes('Listening on'));
		assert.match(frame, /No events yet/);
		assert.match(frame, /Listening on http:\/\/127\.0\.0\.1:8765/);
		assert.match(frame, /mpm-tui hooks install/);
		assert.match(frame, /press d to start the demo stream/);
		await t.press('d');
		for (let i = 0; i < 300 && t.calls.demo === 0; i++) await sleep(10);
		assert.equal(t.calls.demo, 1);
		await t.press('d');
		await sleep(100);
		assert.equal(t.calls.demo, 1, 'd starts the demo once');
	});

	it('shows events with header counts and follows the newest', async () => {
		const t = mount();
		const records = demoRecords(60);
		t.store.append(records, Date.now());
		const frame = await t.until((f) => f.includes('60 events'));
		assert.match(frame.split('\n')[0], /hosting 127\.0\.0\.1:8765 │ 2 sessions │ 60 events/);
		assert.match(frame, /60\/60 · follow/);
		assert.ok(selectedRow(t.app).includes(records[59].summary.slice(0, 20)), 'cursor on the newest event');
	});

	it('says in the header what the server reports as a problem (a journal that cannot write), and drops it once it is over', async () => {
		const t = mount({columns: 120});
		t.store.append(demoRecords(5), Date.now());
		t.store.setServerProblems([
			'journal cannot write (ENOSPC): events are refused until it can; forwarders spool them meanwhile',
			'journal cannot rotate: …',
		]);
		let frame = await t.until((f) => f.includes('⚠'), 'the problem in the header');
		assert.match(
			frame.split('\n')[0],
			/hosting 127\.0\.0\.1:8765 │ ⚠ journal cannot write \(ENOSPC\) \+1 │ /,
		);
		t.store.setServerProblems([]);
		frame = await t.until((f) => !f.includes('⚠'), 'the problem gone');
		assert.match(frame.split('\n')[0], /hosting 127\.0\.0\.1:8765 │ \d+ sessions? │ 5 events/);
	});

	it('moves with j/k, g/G, pages, and leaves follow when scrolling up', async () => {
		const t = mount();
		const records = demoRecords(100);
		t.store.append(records, Date.now());
		await t.until((f) => f.includes('100/100'));
		await t.press('k', 'k', keys.up);
		await t.until((f) => f.includes('97/100 · follow off'), 'k moves up and leaves follow');
		await t.press('j');
		await t.until((f) => f.includes('98/100'));
		await t.press('g');
		await t.until((f) => f.includes(' 1/100'));
		assert.ok(selectedRow(t.app).includes(records[0].summary.slice(0, 20)));
		const rows = 20 - 1 - 3 - 1;
		await t.press(keys.pageDown);
		await t.until((f) => f.includes(` ${1 + rows}/100`), 'PgDn moves a screen');
		await t.press(' ');
		await t.until((f) => f.includes(` ${1 + 2 * rows}/100`), 'Space moves a screen');
		await t.press('b');
		await t.until((f) => f.includes(` ${1 + rows}/100`), 'b moves a screen up');
		await t.press(keys.ctrlD);
		await t.until((f) => f.includes(` ${1 + rows + Math.trunc(rows / 2)}/100`), 'Ctrl-d moves half a screen');
		await t.press(keys.ctrlU);
		await t.until((f) => f.includes(` ${1 + rows}/100`), 'Ctrl-u moves half a screen up');
		await t.press(keys.end);
		await t.until((f) => f.includes('100/100 · follow'), 'End returns to follow');
		await t.press(keys.home);
		await t.until((f) => f.includes(' 1/100'));
		await t.press('G');
		await t.until((f) => f.includes('100/100 · follow'), 'G returns to follow');
	});

	it('counts new events in a badge when not following, and F returns', async () => {
		const t = mount();
		t.store.append(demoRecords(30), Date.now());
		await t.until((f) => f.includes('30/30'));
		await t.press('k');
		await t.until((f) => f.includes('29/30 · follow off'));
		const selected = selectedRow(t.app);
		t.store.append(demoRecords(5, 11), Date.now());
		await t.until((f) => f.includes('29/35 · ▼ 5 new'), 'the badge counts new events');
		assert.equal(selectedRow(t.app), selected, 'the cursor stays on its event');
		await t.press('F');
		await t.until((f) => f.includes('35/35 · follow'));
		await t.press('F');
		await t.until((f) => f.includes('35/35 · follow off'), 'F toggles follow off');
	});

	it('opens the whole record as JSON with Enter, scrolls, and goes back with Esc', async () => {
		const t = mount({rows: 12});
		const big = record({
			summary: 'Bash  npm test',
			type: 'PostToolUse',
			tool: 'Bash',
			payload: {
				tool_response: {stdout: Array.from({length: 30}, (_, i) => `line ${i}`).join('\n')},
				lines: Array.from({length: 30}, (_, i) => `entry-${i}`),
			},
		});
		t.store.append([big], Date.now());
		await t.until((f) => f.includes('npm test'));
		await t.press(keys.enter);
		let frame = await t.until((f) => f.includes(`#${big.seq} PostToolUse Bash`), 'the detail view');
		assert.match(frame, new RegExp(`"seq": ${big.seq},`));
		assert.match(frame, /lines 1–7 of \d+/);
		await t.press('j', 'j');
		frame = await t.until(
			(f) => /lines 3–9 of/.test(f) && f.includes(`"id": "r${big.seq}"`) && !f.includes('"seq"'),
			'j scrolls',
		);
		await t.press('G');
		frame = await t.until((f) => f.includes('entry-29'), 'G goes to the end');
		assert.match(frame, /"summary": "Bash {2}npm test"|"entry-\d+"/);
		await t.press(keys.escape);
		await t.until((f) => f.includes('1/1 ·') && !f.includes('Esc back'), 'Esc returns to the list');
	});

	it('shows every key in the help overlay; any key closes it', async () => {
		const t = mount({rows: 30});
		await t.press('?');
		const frame = await t.until((f) => f.includes('any other key closes it'));
		for (const key of ['j / k', 'Ctrl-d', 'Enter', '/', 'n / N', 'f', 'e', 'c', 'p', 'q', 'Ctrl-c', 'F'])
			assert.ok(frame.includes(key), `help lists ${key}`);
		await t.press('x');
		await t.until((f) => f.includes('No events yet'));
		assert.equal(t.calls.quit, 0);
	});

	it('closing the help opened from a detail view goes back to that detail, where it was', async () => {
		const t = mount({rows: 12});
		const big = record({
			summary: 'Bash  npm test',
			type: 'PostToolUse',
			tool: 'Bash',
			payload: {lines: Array.from({length: 30}, (_, i) => `entry-${i}`)},
		});
		t.store.append([big], Date.now());
		await t.until((f) => f.includes('npm test'));
		await t.press(keys.enter, 'G');
		const reading = await t.until((f) => f.includes('entry-29'), 'the end of the detail');
		const at = /lines \d+–\d+ of \d+/.exec(reading)?.[0];
		assert.ok(at, reading);
		await t.press('?');
		await t.until((f) => f.includes('any other key closes it'), 'the help');
		await t.press('x');
		const back = await t.until((f) => !f.includes('any other key closes it'), 'the help closed');
		assert.ok(
			back.includes(`#${big.seq} PostToolUse Bash`) && back.includes(at),
			`back in the detail, ${at}:\n${back}`,
		);
		await t.press(keys.escape);
		await t.until((f) => f.includes('1/1 ·'), 'Esc: the list');
	});

	it('switches tabs with numbers and Tab/Shift-Tab; empty tabs say what will appear', async () => {
		const t = mount();
		await t.press('2');
		await t.until((f) => f.includes('No tool calls yet'));
		await t.press(keys.tab);
		await t.until((f) => f.includes('No subagents yet'));
		await t.press(keys.shiftTab, keys.shiftTab);
		await t.until((f) => f.includes('No events yet'), 'Shift-Tab goes back to Events');
		await t.press(keys.shiftTab);
		await t.until((f) => f.includes('No usage yet'), 'Shift-Tab wraps around to the last tab');
		await t.press(keys.shiftTab);
		await t.until((f) => f.includes('No sessions yet'), 'Shift-Tab again: Sessions');
		await t.press('4');
		await t.until((f) => f.includes('No files touched yet'));
		await t.press('1');
		await t.until((f) => f.includes('No events yet'));
	});

	it('pauses the view while events keep arriving, with a pending badge', async () => {
		const t = mount();
		t.store.append(demoRecords(10), Date.now());
		await t.until((f) => f.includes('10/10'));
		await t.press('p');
		await t.until((f) => f.includes('paused · 0 pending'));
		t.store.append(demoRecords(7, 3), Date.now());
		const frame = await t.until((f) => f.includes('paused · 7 pending'));
		assert.match(frame, /10\/10/, 'the list stays frozen');
		assert.match(frame.split('\n')[0], /17 events/, 'the header stays live');
		await t.press('p');
		await t.until((f) => f.includes('17/17 · follow'));
		assert.deepEqual(t.calls.pause, [true, false]);
		await t.press('p');
		t.store.append([record({summary: 'Bash  while paused', tool: 'Bash'})], Date.now());
		await t.until((f) => f.includes('paused · 1 pending'));
		await t.press('f', ...'tool:Bash', keys.enter);
		const refiltered = await t.until(
			(f) => f.includes('filtered') && f.includes('paused · 0 pending'),
			'a new filter applies while paused',
		);
		assert.match(refiltered, /while paused/);
	});

	it('pause holds every tab: what arrives meanwhile shows on no tab until p again', async () => {
		const t = mount({columns: 120});
		t.store.append(demoRecords(10), Date.now());
		await t.until((f) => f.includes('10/10'));
		await t.press('p');
		await t.until((f) => f.includes('paused · 0 pending'));
		const pz = {session_id: 'pz000002-1111-4222-8333-944455556666'};
		t.store.append(
			seq(
				[0, hook('UserPromptSubmit', {...pz, prompt: 'run it'})],
				[10, pre('Bash', 'tpz2', {command: 'second while paused'}, pz)],
			),
			Date.now(),
		);
		await t.until((f) => f.includes('paused · 2 pending'), 'the events tab counts them');
		for (const [key, name] of [
			['2', 'Tools'],
			['5', 'Sessions'],
			['3', 'Agents'],
			['1', 'Events'],
			['2', 'Tools'],
		] as const) {
			await t.press(key);
			const frame = await t.until((f) => f.includes('⏸ paused'), `${name} paused`);
			assert.ok(!frame.includes('second while paused') && !frame.includes('pz000002'), `${name}:\n${frame}`);
		}
		assert.match(t.frame().split('\n')[0], /12 events/, 'the header stays live');
		await t.press('p');
		await t.until(
			(f) => f.includes('second while paused') && !f.includes('⏸ paused'),
			'Tools: p shows the call',
		);
		await t.press('5');
		await t.until((f) => f.includes('pz000002'), 'Sessions: the new session');
	});

	it('clears the view with c; new events still arrive', async () => {
		const t = mount();
		t.store.append(demoRecords(10), Date.now());
		await t.until((f) => f.includes('10/10'));
		await t.press('c');
		await t.until((f) => f.includes('View cleared'));
		t.store.append([record({summary: 'after the clear'})], Date.now());
		const frame = await t.until((f) => f.includes('after the clear'));
		assert.match(frame, /1\/1/);
		assert.match(frame.split('\n')[0], /11 events/);
	});

	it('after c every tab says the view was cleared, not that nothing ever came', async () => {
		const t = mount({columns: 120});
		t.store.append(demoRecords(40), Date.now());
		await t.until((f) => f.includes('40/40'));
		await t.press('5');
		await t.until((f) => f.includes('/2'), 'the sessions');
		await t.press('c');
		for (const [key, name, fresh] of [
			['2', 'Tools', 'No tool calls yet'],
			['3', 'Agents', 'No subagents yet'],
			['4', 'Files', 'No files touched yet'],
			['5', 'Sessions', 'No sessions yet'],
			['6', 'Usage', 'No usage yet'],
			['1', 'Events', 'No events yet'],
		] as const) {
			await t.press(key);
			const frame = await t.until((f) => f.includes('View cleared'), `${name}: View cleared`);
			assert.ok(!frame.includes(fresh) && !frame.includes('Install the hooks'), `${name}:\n${frame}`);
		}
		assert.match(t.frame().split('\n')[0], /40 events/, 'the header still counts them');
		// What arrives after the clear is shown as before.
		t.store.append(demoRecords(40, 11), Date.now());
		await t.press('5');
		await t.until((f) => !f.includes('View cleared') && /1\/\d/.test(f), 'Sessions: the new events');
	});

	it('shows notices from the store (replay, server log) until the next key', async () => {
		const t = mount();
		t.store.append(demoRecords(3), Date.now());
		await t.until((f) => f.includes('3/3'));
		t.store.setNotice('spool: 2 event(s) taken from /tmp/spool.ndjson');
		await t.until(
			(f) => f.split('\n').at(-1)?.startsWith('spool: 2 event(s) taken') === true,
			'the notice in the footer',
		);
		await t.press('k');
		await t.until((f) => f.split('\n').at(-1)?.startsWith('j/k move') === true, 'a key clears it');
	});

	it('shows reconnecting with the attempt count, and unauthorized', async () => {
		const t = mount();
		t.store.setLink({status: 'reconnecting', attempt: 3});
		await t.until((f) => f.split('\n')[0].startsWith('◌ reconnecting (attempt 3) 127.0.0.1:8765'));
		t.store.setLink({status: 'unauthorized', attempt: 0});
		await t.until((f) => f.split('\n')[0].includes('✖ unauthorized 127.0.0.1:8765: check --token'));
	});

	it('quits with q and with Ctrl-c', async () => {
		const t = mount();
		await t.press('q');
		assert.equal(t.calls.quit, 1);
		await t.press(keys.ctrlC);
		assert.equal(t.calls.quit, 2);
	});

	for (const [columns, rows] of [
		[60, 15],
		[80, 24],
		[120, 40],
	] as const) {
		it(`fits ${columns}×${rows}: no line wider, never taller than the terminal`, async () => {
			const t = mount({columns, rows});
			t.store.append(demoRecords(200), Date.now());
			const frame = await t.until((f) => f.includes('200/200'));
			const lines = frame.split('\n');
			assert.ok(lines.length <= rows - 1, `${lines.length} lines`);
			for (const line of lines) assert.ok(stringWidth(line) <= columns, `too wide: ${line}`);
			assert.match(lines[0], /hosting/);
			const titles = lines[2];
			assert.equal(/session/.test(titles), columns >= 72, 'the session column appears at 72 columns');
			assert.equal(/ tool /.test(titles), columns >= 100);
			assert.equal(/agent/.test(titles), columns >= 120);
			assert.equal(bodyRows(frame).length, rows - 1 - 4, 'every list row is used');
		});
	}
});
