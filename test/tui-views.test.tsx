/**
 * The Tools, Agents, Files and Sessions tabs through the real App and store, fed with records
 * made by the real normalizer from recorded-shape hook payloads: rows, navigation, Enter, sort,
 * session scope across every tab, filter and search, live ticking, the header's waiting count,
 * and that nothing in an event can reach the terminal as a control sequence.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import type {EventRecord} from '../source/core/record.js';
import type {AppProps} from '../source/tui/app/App.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {sessionFlow, SESSION_ID} from './fixtures/hook-payloads.js';
import {hook, OTHER_CWD, OTHER_SESSION, pre, seq, T0} from './fixtures/view-sequences.js';
import {keys, pressKeys, strip, waitForFrame} from './helpers/tui-kit.js';

// Colours on (the cursor row is drawn inverse): chalk reads this when Ink is first loaded.
process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

/** The recorded session (ended), one second per event, then a second session waiting for a permission. */
function flowRecords(): EventRecord[] {
	const other = {session_id: OTHER_SESSION, cwd: OTHER_CWD};
	return seq(
		...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p]),
		[30_000, hook('UserPromptSubmit', {...other, prompt: 'bump the version'})],
		[31_000, pre('Bash', 'toolu_other_1', {command: 'npm version patch'}, other)],
		[
			31_500,
			hook('PermissionRequest', {...other, tool_name: 'Bash', tool_input: {command: 'npm version patch'}}),
		],
	);
}

interface Mounted {
	store: EventStore;
	app: ReturnType<typeof render>;
	clock: {now: number};
	press: (...inputs: string[]) => Promise<void>;
	until: (check: (frame: string) => boolean, what?: string) => Promise<string>;
}

function mount(
	records: EventRecord[],
	options: {columns?: number; rows?: number; props?: Partial<AppProps>} = {},
): Mounted {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	store.append(records, T0);
	const clock = {now: T0 + 40_000};
	const app = render(
		<App
			store={store}
			size={{columns: options.columns ?? 130, rows: options.rows ?? 24}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			now={() => clock.now}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
			{...options.props}
		/>,
	);
	return {
		store,
		app,
		clock,
		until: (check, what) => waitForFrame(app.lastFrame, check, 3000, what),
		press: (...inputs) => pressKeys(app, ...inputs),
	};
}

/** The row drawn inverse (the cursor), without the tab bar. */
function selectedRow(app: ReturnType<typeof render>): string {
	const line = (app.lastFrame() ?? '')
		.split('\n')
		.slice(2)
		.find((l) => l.includes('\u001B[7m'));
	return strip(line);
}

function body(frame: string): string[] {
	return frame
		.split('\n')
		.slice(3, -1)
		.filter((l) => l.trim() !== '');
}

describe('tui view tabs', () => {
	it('Tools: one row per call with status, target, duration, agent; failed red; navigation; Enter shows the Pre, PermissionRequest and Post records', async () => {
		const t = mount(flowRecords());
		await t.press('2');
		const frame = await t.until((f) => f.includes('npm version patch'), 'the Tools tab');
		const rows = body(frame);
		// 9 calls in the flow (Read, Grep, Bash, Agent, Grep and Read in the agent, Edit, TodoWrite, Bash rm) + the other session's Bash.
		assert.equal(rows.length, 10, frame);
		assert.match(frame, /1\/10/);
		assert.match(frame, /by time/);
		assert.match(
			rows[0],
			/◐⚑ .*Bash +npm version patch +9\.0s +running +main +c0ffee00/,
			'the running call first, with its elapsed time',
		);
		assert.match(frame, /✗ .*Bash +npm test/);
		assert.match(frame, /✓ .*Grep .*Date\.now.* Explore/, 'a call inside the subagent names the agent');
		const raw = t.app.lastFrame() ?? '';
		const failedLine = raw.split('\n').find((l) => strip(l).includes('npm test'));
		assert.ok(failedLine?.includes('\u001B[31m'), 'the failed call is red');

		assert.match(selectedRow(t.app), /npm version patch/);
		await t.press('j', 'j');
		await t.until((f) => f.includes('3/10'), 'j moves the cursor');
		assert.match(selectedRow(t.app), /TodoWrite/);
		await t.press('G');
		await t.until((f) => f.includes('10/10'));
		assert.match(selectedRow(t.app), /Read +test\/flaky\.test\.ts/, 'G: the oldest call');
		await t.press(keys.up, 'g');
		await t.until((f) => f.includes('1/10'));

		await t.press('j', keys.enter);
		const detail = await t.until((f) => f.includes('Esc back'), 'the call detail');
		assert.match(
			detail,
			/rm -rf dist · ok · 3 records/,
			'the permission it waited for (⚑) is one of its records',
		);
		assert.match(detail, /"type": "PreToolUse"/);
		await t.press('G');
		await t.until(
			(f) => f.includes('"duration_ms": 31') && /lines \d+–105 of 105/.test(f),
			'the Post record below',
		);
		await t.press(keys.escape);
		await t.until((f) => f.includes('2/10') && !f.includes('Esc back'), 'back to the list');
	});

	it('Tools: o sorts by duration and back', async () => {
		const t = mount(flowRecords());
		await t.press('2');
		await t.until((f) => f.includes('by time'));
		await t.press('o');
		const frame = await t.until((f) => f.includes('by duration'), 'the sort note');
		assert.match(body(frame)[0], /Agent +Explore: Find the flaky test +18\.5s/, 'the longest call first');
		assert.match(selectedRow(t.app), /Agent/, 'the cursor goes to the top');
		await t.press('o');
		await t.until((f) => f.includes('by time') && /◐/.test(body(f)[0]));
	});

	it('Agents: the subagent with type, task, status, duration, tool count; Enter shows its calls and last message; Esc back', async () => {
		const t = mount(flowRecords());
		await t.press('3');
		const frame = await t.until((f) => f.includes('Explore'), 'the Agents tab');
		assert.match(frame, /✓ Explore +Find the flaky test +done +18\.4s +2/);
		await t.press(keys.enter);
		const detail = await t.until((f) => f.includes('last: Found it'), 'the agent detail');
		assert.match(detail, /task: Find the flaky test/);
		assert.match(detail, /Grep +Date\.now/);
		assert.match(detail, /Read +test\/flaky\.test\.ts/);
		assert.ok(!detail.includes('npm test'), 'only the agent’s own calls');
		await t.press('j', keys.enter);
		await t.until(
			(f) => f.includes('Esc back') && f.includes('"agentId": "a7f3c2e19b04d6a8"'),
			'Enter on a call shows its records',
		);
		await t.press(keys.escape);
		await t.until((f) => f.includes('last: Found it'), 'back to the agent');
		await t.press(keys.escape);
		await t.until((f) => f.includes('1/1') && !f.includes('last: Found it'), 'back to the agents');
	});

	it('Files: path, reads/writes/edits, last touched, by which agent', async () => {
		const t = mount(flowRecords());
		await t.press('4');
		const frame = await t.until((f) => f.includes('source/app.tsx'), 'the Files tab');
		assert.match(frame, /source\/app\.tsx +· +· +1 +· +Edit +24s ago +main/);
		assert.match(frame, /test\/flaky\.test\.ts +2 +· +· +· +Read .* Explore/);
		await t.press('j', keys.enter);
		await t.until((f) => f.includes('Esc back') && f.includes('"reads": 2'), 'Enter shows the file entry');
	});

	it('Sessions: the waiting one first and in the header; s scopes every tab to a session; S clears', async () => {
		const t = mount(flowRecords());
		let frame = await t.until((f) => f.includes('1 waiting'), 'the header counts the waiting session');
		await t.press('5');
		frame = await t.until((f) => f.includes('WAITING'), 'the Sessions tab');
		const rows = body(frame);
		assert.match(rows[0], /▲ WAITING +c0ffee00 +~\/lib +permission .*Bash +npm version pat/);
		assert.match(rows[1], /· ended +5b1e0c9a/);

		await t.press('s');
		// The tab bar shows the scope at once; the views are rebuilt for it with the next snapshot.
		frame = await t.until(
			(f) => f.includes('◆ session c0ffee00') && body(f).length === 1,
			'the scope in the tab bar and Sessions narrowed',
		);
		assert.equal(body(frame).length, 1, 'Sessions narrowed to the scoped one');
		await t.press('2');
		frame = await t.until((f) => f.includes('1/1') && f.includes('npm version patch'), 'Tools scoped');
		assert.ok(!frame.includes('npm test'));
		await t.press('3');
		await t.until((f) => f.includes('No subagents yet'), 'Agents scoped: none in that session');
		await t.press('4');
		await t.until((f) => f.includes('No files touched yet'), 'Files scoped');
		await t.press('1');
		frame = await t.until((f) => f.includes('3/3'), 'the Events list scoped');
		assert.ok(
			body(frame).every((l) => l.includes('c0ffee00')),
			frame,
		);

		await t.press('S');
		frame = await t.until((f) => f.includes('29/29') && !f.includes('◆ session'), 'S clears the scope');
		await t.press('5', 'j', keys.enter);
		await t.until((f) => f.includes('◆ session 5b1e0c9a'), 'Enter scopes too');
		await t.press('2');
		frame = await t.until((f) => f.includes('1/9'), 'Tools: the nine calls of that session');
		await t.press('5', 's');
		await t.until((f) => !f.includes('◆ session'), 's on the scoped session clears it');
	});

	it('filter line and fuzzy search on the Tools tab; n/N move between matches; Esc clears', async () => {
		const t = mount(flowRecords());
		await t.press('2');
		await t.until((f) => f.includes('1/10'));
		await t.press('f');
		await t.app.stdin.write('tool:Bash');
		await t.press(keys.enter);
		let frame = await t.until(
			(f) => f.includes('filtered') && f.includes('1/3'),
			'the filter selects what feeds the views',
		);
		assert.ok(
			body(frame).every((l) => l.includes('Bash')),
			frame,
		);
		await t.press(keys.escape);
		await t.until((f) => f.includes('1/10') && !f.includes('filtered'), 'Esc clears the filter');

		await t.press('/');
		await t.app.stdin.write('flaky');
		await t.press(keys.enter);
		frame = await t.until((f) => f.includes('/flaky: 4 matches'), 'the search narrows the rows');
		assert.equal(body(frame).length, 4);
		assert.ok(!frame.includes('rm -rf dist') && !frame.includes('Grep'), frame);
		await t.press('n');
		await t.until((f) => f.includes('2/4'));
		await t.press('N', 'N');
		await t.until((f) => f.includes('4/4'), 'N wraps around');
		await t.press('n');
		await t.until((f) => f.includes('1/4'), 'n wraps around');
		await t.press('1');
		frame = await t.until((f) => f.includes('29/29'), 'the Events tab keeps its own (empty) search');
		await t.press('2');
		await t.until((f) => f.includes('/flaky: 4 matches'), 'the Tools tab kept its search');
		await t.press(keys.escape);
		await t.until((f) => f.includes('1/10') && !f.includes('match'), 'Esc clears the search');
	});

	it('running calls tick with the clock; c clears the views too', async () => {
		const t = mount(flowRecords(), {props: {tickMs: 20}});
		await t.press('2');
		await t.until((f) => /npm version patch +9\.0s/.test(f));
		t.clock.now += 60_000;
		await t.until((f) => /npm version patch +1m09s/.test(f), 'the running call ticks without new events');
		assert.match(
			t.app.lastFrame() ?? '',
			/Read +test\/flaky\.test\.ts +12ms/,
			'finished calls keep their duration',
		);
		await t.press('c');
		await t.until((f) => f.includes('View cleared. New tool calls appear'), 'c clears the views');
		t.store.append(seq([50_000, pre('Grep', 'toolu_after_clear', {pattern: 'x', path: '/home/u/app'})]), T0);
		await t.until((f) => f.includes('1/1') && f.includes('Grep'), 'new calls appear after a clear');
	});

	it('every tab fits a 60×15 pane; s on the Events tab scopes to the selected event’s session', async () => {
		const t = mount(flowRecords(), {columns: 60, rows: 15});
		for (const tab of ['2', '3', '4', '5']) {
			await t.press(tab);
			const frame = await t.until((f) => /\d+\/\d+/.test(f.split('\n')[2] ?? ''), `tab ${tab}`);
			const lines = frame.split('\n');
			assert.ok(lines.length <= 14, `${lines.length} lines on tab ${tab}`);
			for (const line of lines)
				assert.ok(stringWidth(line) <= 60, `tab ${tab}: a line wider than 60: ${JSON.stringify(line)}`);
		}
		await t.press('1');
		await t.until((f) => f.includes('29/29'));
		await t.press('s');
		const scoped = await t.until(
			(f) => f.includes('◆ c0ffee00') && f.includes('3/3'),
			'the newest event’s session',
		);
		assert.match(
			scoped.split('\n')[1],
			/^ 1 Events {3}2 {3}3 {3}4 {3}5 {3}6 {2}◆ c0ffee00/,
			'narrow: the other tabs by number, the scope readable',
		);
		await t.press('S');
		await t.until((f) => f.includes('29/29') && !f.includes('◆'));
	});

	it('draws nothing from an event as a control sequence, in every tab and the detail view', async () => {
		const evil = {session_id: `${SESSION_ID}`, cwd: '/home/u/\u001B]0;pwned\u0007app'};
		const records = seq(
			[0, hook('UserPromptSubmit', {...evil, prompt: 'hi\u001B[2J\u009B31mthere'})],
			[100, pre('Bash\u001B[31mX', 'toolu_evil_1', {command: 'ls \u001B]0;title\u0007'}, evil)],
			[200, pre('Read', 'toolu_evil_2', {file_path: '/home/u/\u001B[2Jsecret\u009Bx.ts'}, evil)],
			[
				300,
				pre(
					'Agent',
					'toolu_evil_3',
					{description: 'evil \u001B[5m task', prompt: 'p', subagent_type: 'Ex\u001B[31mplore'},
					evil,
				),
			],
			[400, hook('SubagentStart', {...evil, agent_id: 'ag\u001B[2J1', agent_type: 'Ex\u001B[31mplore'})],
		);
		const t = mount(records);
		const check = (what: string) => {
			const raw = t.app.lastFrame() ?? '';
			assert.ok(!raw.includes('\u001B]'), `${what}: an OSC sequence got through`);
			assert.ok(!raw.includes('\u001B[2J'), `${what}: a clear-screen got through`);
			assert.ok(!raw.includes('\u001B[5m'), `${what}: blink got through`);
			assert.ok(!raw.includes('\u009B'), `${what}: an 8-bit CSI got through`);
			assert.ok(!raw.includes('\u0007'), `${what}: a bell got through`);
			assert.ok(!/\u001B\[31mX/.test(raw), `${what}: a colour from the tool name got through`);
		};
		await t.until((f) => f.includes('hi'), 'the events');
		check('Events');
		await t.press(keys.up, keys.up, keys.up, keys.up, keys.enter);
		await t.until((f) => f.includes('Esc back'));
		check('event detail');
		await t.press('G');
		await t.until(
			(f) => f.includes('"prompt": "hi\\u001b[2J\\u009b31mthere"'),
			'the prompt with its control characters escaped',
		);
		check('event detail, end');
		await t.press(keys.escape, '2');
		await t.until((f) => f.includes('1/3'));
		check('Tools');
		for (let i = 0; i < 3; i++) {
			await t.press(keys.enter);
			await t.until((f) => f.includes('Esc back'));
			check(`call detail ${i}`);
			await t.press(keys.escape, 'j');
		}
		await t.press('3');
		await t.until((f) => f.includes('evil'));
		check('Agents');
		await t.press(keys.enter);
		await t.until((f) => f.includes('task:'));
		check('agent detail');
		await t.press(keys.escape, '4');
		await t.until((f) => f.includes('secret'));
		check('Files');
		await t.press(keys.enter);
		await t.until((f) => f.includes('Esc back'));
		check('file detail');
		await t.press(keys.escape, '5');
		await t.until((f) => f.includes('working'));
		check('Sessions');
		await t.press('s');
		await t.until((f) => f.includes('◆ session'));
		check('scoped');
	});
});
