/**
 * Times that move on and the Files tab, through the real App and store fed with records from the
 * real normalizer (recorded-shape hook payloads):
 * - ages on screen (Sessions "active", Files "touched") move on with no new event, and once none
 *   of them changes before the next minute, nothing is redrawn;
 * - the header's N/min counts arrivals of the last minute only: history is not an arrival, and
 *   the rate falls to 0 with no new event;
 * - two sessions with different cwds, a Grep on `.` and on a directory, a subagent's Edit: paths
 *   from one root, directories marked, the agent by type on Files as on Tools.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import type {EventRecord} from '../source/core/record.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {CWD, SESSION_ID} from './fixtures/hook-payloads.js';
import {hook, OTHER_CWD, OTHER_SESSION, post, pre, seq, T0} from './fixtures/view-sequences.js';
import {keys, pressKeys, sleep, strip, waitForFrame} from './helpers/tui-kit.js';

process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

const AGENT = 'a1b2c3d4e5f6a7b8';
const other = {session_id: OTHER_SESSION, cwd: OTHER_CWD};

/**
 * Session 5b1e0c9a in ~/app searches `.` and `src`, then a code-reviewer subagent edits a file
 * (its tool events name the agent's id only; SubagentStart names its type). Session c0ffee00 in
 * ~/lib searches `.` and reads a file.
 */
function twoSessions(): EventRecord[] {
	const grepHere = {pattern: 'TODO', path: '.'};
	const grepSrc = {pattern: 'Date.now', path: 'src', output_mode: 'files_with_matches'};
	const edit = {file_path: `${CWD}/src/clock.ts`, old_string: 'Date.now()', new_string: 'clock.now()'};
	const spawn = {description: 'Review the clock', prompt: 'Review it', subagent_type: 'code-reviewer'};
	const grepLib = {pattern: 'export', path: '.'};
	const readLib = {file_path: `${OTHER_CWD}/index.ts`};
	return seq(
		[0, hook('UserPromptSubmit', {prompt: 'fix the clock'})],
		[100, pre('Grep', 'toolu_g1', grepHere)],
		[
			200,
			post('Grep', 'toolu_g1', grepHere, {
				mode: 'files_with_matches',
				filenames: ['src/clock.ts'],
				numFiles: 1,
			}),
		],
		[300, pre('Grep', 'toolu_g2', grepSrc)],
		[
			400,
			post('Grep', 'toolu_g2', grepSrc, {
				mode: 'files_with_matches',
				filenames: ['src/clock.ts'],
				numFiles: 1,
			}),
		],
		[500, pre('Agent', 'toolu_spawn', spawn)],
		[600, hook('SubagentStart', {agent_id: AGENT, agent_type: 'code-reviewer'})],
		[700, pre('Edit', 'toolu_e1', edit, {agent_id: AGENT})],
		[800, post('Edit', 'toolu_e1', edit, {filePath: edit.file_path}, {agent_id: AGENT})],
		[900, hook('SubagentStop', {agent_id: AGENT, agent_type: 'code-reviewer', stop_hook_active: false})],
		[1000, post('Agent', 'toolu_spawn', spawn, {status: 'completed'})],
		[1100, hook('Stop', {stop_hook_active: false})],
		[2000, hook('UserPromptSubmit', {...other, prompt: 'list the exports'})],
		[2100, pre('Grep', 'toolu_l1', grepLib, other)],
		[
			2200,
			post(
				'Grep',
				'toolu_l1',
				grepLib,
				{mode: 'files_with_matches', filenames: ['index.ts'], numFiles: 1},
				other,
			),
		],
		[2300, pre('Read', 'toolu_l2', readLib, other)],
		[2400, post('Read', 'toolu_l2', readLib, {type: 'text', file: {filePath: readLib.file_path}}, other)],
		[2500, hook('Stop', {...other, stop_hook_active: false})],
	);
}

function mount(records: EventRecord[], clock: {now: number}, arrived: boolean, tickMs = 50, columns = 130) {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	store.append(records, clock.now, arrived);
	const app = render(
		<App
			store={store}
			size={{columns, rows: 16}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			tickMs={tickMs}
			now={() => clock.now}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
		/>,
	);
	return {
		store,
		app,
		until: (check: (frame: string) => boolean, what?: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
		press: (...inputs: string[]) => pressKeys(app, ...inputs),
	};
}

const rowOf = (frame: string, text: string) =>
	strip(frame)
		.split('\n')
		.find((line) => line.includes(text)) ?? '';

describe('times on screen move on with no new event', () => {
	it('Sessions "active" and Files "touched" tick while they are on screen, and stop once nothing changes within the minute', async () => {
		// The last event (Stop in ~/lib) at T0 + 2.5 s; the screen at 58.1 s after it.
		const clock = {now: T0 + 60_600};
		const t = mount(twoSessions(), clock, false);
		await t.press('5');
		let frame = await t.until((f) => rowOf(f, 'c0ffee00').includes('58s ago'), 'the Sessions tab at 58 s');
		clock.now += 1000;
		frame = await t.until(
			(f) => rowOf(f, 'c0ffee00').includes('59s ago'),
			'active moves on a second later with no event',
		);
		assert.match(rowOf(frame, '5b1e0c9a'), /\b1m ago/, 'the other session went past a minute');
		clock.now += 1000;
		frame = await t.until((f) => rowOf(f, 'c0ffee00').includes('1m ago'), 'active moves on to a minute');

		// Nothing on screen changes before the next whole minute: no tick, so no new frame.
		const frames = t.app.frames.length;
		await sleep(400);
		assert.equal(t.app.frames.length, frames, 'no redraw while no age on screen changes');
	});

	it('Files "touched" ticks on its own tab', async () => {
		// The Read in ~/lib started at T0 + 2.3 s.
		const clock = {now: T0 + 3000};
		const t = mount(twoSessions(), clock, false);
		await t.press('4');
		await t.until((f) => rowOf(f, 'lib/index.ts').includes('just now'), 'the Files tab');
		clock.now += 1000;
		await t.until(
			(f) => /\b1s ago/.test(rowOf(f, 'lib/index.ts')),
			'touched moves on a second later with no event',
		);
		clock.now += 1000;
		await t.until((f) => /\b2s ago/.test(rowOf(f, 'lib/index.ts')), 'and again');
	});
});

describe('the header rate counts arrivals of the last minute', () => {
	it('history taken at start is not an arrival: 0/min', async () => {
		const clock = {now: T0 + 3000};
		const t = mount(twoSessions(), clock, false);
		const frame = await t.until((f) => /18 events/.test(f), 'the header');
		assert.match(strip(frame).split('\n')[0], /│ 0\/min │/);
	});

	it('events that arrived 59.5 s ago count, and leave the rate a second later with no new event', async () => {
		const clock = {now: T0 + 3000};
		const t = mount(twoSessions(), clock, true);
		await t.until((f) => /│ 18\/min │/.test(strip(f).split('\n')[0]), 'the rate of the arrivals');
		clock.now += 59_500;
		// Another tab: a fresh snapshot at this time (the test's clock jumped; timers wait real time).
		await t.press('2');
		await t.until(
			(f) => /│ 18\/min │/.test(strip(f).split('\n')[0]) && f.includes('Edit'),
			'still within the minute',
		);
		clock.now += 1000;
		await t.until((f) => /│ 0\/min │/.test(strip(f).split('\n')[0]), 'the rate falls to 0 with no new event');
	});
});

describe('Files: two sessions, searched directories, a subagent', () => {
	for (const columns of [60, 69])
		it(`${columns} columns: the S column stays, so a searched directory does not read as "none"`, async () => {
			const t = mount(twoSessions(), {now: T0 + 3000}, false, 50, columns);
			await t.press('4');
			const frame = strip(await t.until((f) => f.includes('lib/index.ts'), 'the Files tab'));
			const lines = frame.split('\n');
			for (const line of lines) assert.ok(stringWidth(line) <= columns, `wider than ${columns}: ${line}`);
			assert.match(lines[2], /\sR\s+W\s+E\s+S\s+touched/, 'the title names all four counts');
			assert.match(rowOf(frame, 'lib/ '), /^.lib\/\s+·\s+·\s+·\s+1\s+just now/, 'lib/ was searched once');
			assert.match(rowOf(frame, 'lib/index.ts'), /^.lib\/index\.ts\s+1\s+·\s+·\s+·\s+just now/);
		});

	it('paths from one root with the session where cwds differ, directories marked, agents by type as on Tools', async () => {
		const clock = {now: T0 + 3000};
		const t = mount(twoSessions(), clock, false);
		await t.press('4');
		const frame = strip(await t.until((f) => f.includes('lib/index.ts'), 'the Files tab'));
		const lines = frame.split('\n');
		assert.match(
			lines[2],
			/^\s*path\s+in ~\s+1\/5\s+R\s+W\s+E\s+S\s+last\s+touched\s+by\s+session/,
			'the root and a session column',
		);
		const rows = lines.slice(3, 8).map((line) => line.replace(/^›/, '').trim());
		// Most recently touched first; `.` of each session is its own directory, never `.` twice.
		assert.match(rows[0], /^lib\/index\.ts\s+1\s+·\s+·\s+·\s+Read\s+just now\s+main\s+c0ffee00$/);
		assert.match(rows[1], /^lib\/\s+·\s+·\s+·\s+1\s+Grep\s+just now\s+main\s+c0ffee00$/);
		assert.match(rows[2], /^app\/src\/clock\.ts\s+·\s+·\s+1\s+·\s+Edit\s+2s ago\s+code-reviewer\s+5b1e0c9a$/);
		assert.match(rows[3], /^app\/src\/\s+·\s+·\s+·\s+1\s+Grep\s+2s ago\s+main\s+5b1e0c9a$/);
		assert.match(rows[4], /^app\/\s+·\s+·\s+·\s+1\s+Grep\s+2s ago\s+main\s+5b1e0c9a$/);

		// Tools names the subagent the same way.
		await t.press('2');
		const tools = strip(
			await t.until((f) => f.includes('src/clock.ts') && f.includes('Edit'), 'the Tools tab'),
		);
		assert.match(rowOf(tools, 'Edit'), /code-reviewer/);

		// Scoped to the ~/app session: its cwd is the root, no session column.
		await t.press('4', 'j', 'j', 's');
		const scoped = strip(
			await t.until((f) => f.includes('in ~/app') && !f.includes('lib/'), 'the Files tab scoped to 5b1e0c9a'),
		);
		const scopedLines = scoped.split('\n');
		assert.match(scopedLines[2], /^\s*path\s+in ~\/app.*1\/3\s+R\s+W\s+E\s+S\s+last\s+touched\s+by\s+sess$/);
		const scopedRows = scopedLines.slice(3, 6).map((line) => line.replace(/^›/, '').trim());
		assert.match(scopedRows[0], /^src\/clock\.ts\s+/);
		assert.match(scopedRows[1], /^src\/\s+/);
		assert.match(scopedRows[2], /^\.\/\s+/);
		await t.press('G', keys.enter);
		await t.until(
			(f) => f.includes('"directory": true') && f.includes(`"path": "${CWD}"`),
			'the entry says it is a directory',
		);
		assert.ok(SESSION_ID.startsWith('5b1e0c9a'));
	});
});
