/**
 * Hostile events drawn by the real TUI (App, store, views; ink-testing-library): prototype keys in
 * every field, C0 / C1 / DEL / bidi controls in every string, lone surrogates, wide, empty and long
 * strings, huge numbers, deep payloads, odd times. In every tab, the agent and call details and the
 * detail view, at a narrow and a wide size: nothing throws, nothing a terminal would act on is in
 * any frame, the controls show as visible stand-ins, and the canary event is still drawn after.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {normalize} from '../source/core/normalize.js';
import type {EventRecord} from '../source/core/record.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {CANARY, CONTROLS, HOSTILE_STRINGS, forbiddenIn, hostilePayloads} from './fixtures/hostile-events.js';
import {keys, pressKeys, sleep, waitForFrame} from './helpers/tui-kit.js';

// No colours: then a frame holds no escape sequence of Ink's own, and any control in it came from an event.
process.env.FORCE_COLOR = '0';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
/** The time the screen is drawn for: a minute after the last event. */
const NOW = T0 + 600_000;

/** The hostile payloads through the real normalizer, one second apart, then records only a broken server would send. */
function hostileRecords(): EventRecord[] {
	const records = hostilePayloads().map((payload, i) => {
		const result = normalize(payload, {
			id: `hostile-${i}`,
			receivedAt: new Date(T0 + i * 1000).toISOString(),
			source: 'hook',
		});
		if (!result.ok) throw new Error(`payload ${i} did not normalize: ${result.error}`);
		return {seq: i + 1, ...result.record};
	});
	const canary = records.pop()!;
	const odd = (n: number, fields: Partial<EventRecord>): EventRecord => ({
		...records[0],
		id: `odd-${n}`,
		seq: records.length + n,
		...fields,
	});
	records.push(
		odd(1, {time: '+275760-09-13T00:00:00.000Z', type: 'Stop', summary: `far future ${CONTROLS.bidi}`}),
		odd(2, {
			time: 'not a time',
			type: 'PreToolUse',
			tool: 'Bash',
			toolUseId: 'toolu_odd_time',
			summary: CONTROLS.c1,
		}),
		odd(3, {
			time: '1970-01-01T00:00:00.000Z',
			type: 'toString',
			session: 'constructor',
			summary: CONTROLS.c0,
		}),
		odd(4, {
			seq: Number.MAX_SAFE_INTEGER - 1,
			type: '__proto__',
			tool: 'hasOwnProperty',
			agentType: 'valueOf',
			cwd: '__proto__',
			summary: '',
		}),
	);
	records.push({
		...canary,
		seq: Number.MAX_SAFE_INTEGER,
		time: new Date(T0 + records.length * 1000).toISOString(),
	});
	return records;
}

interface Mounted {
	app: ReturnType<typeof render>;
	store: EventStore;
	press: (...inputs: string[]) => Promise<void>;
	/** Waits for a frame that passes `check`, then asserts that it is safe and fits; returns it. */
	until: (check: (frame: string) => boolean, what: string) => Promise<string>;
	frames: number;
}

function mount(records: EventRecord[], columns: number, rows: number): Mounted {
	const store = new EventStore(5000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	store.append(records, NOW);
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
	const mounted: Mounted = {
		app,
		store,
		frames: 0,
		press: (...inputs) => pressKeys(app, ...inputs),
		async until(check, what) {
			const frame = await waitForFrame(
				app.lastFrame,
				(f) => f.startsWith('● hosting') && check(f),
				3000,
				what,
			);
			mounted.frames++;
			assert.equal(forbiddenIn(frame), null, `${what}: a control reached the screen`);
			const lines = frame.split('\n');
			assert.ok(lines.length < rows, `${what}: ${lines.length} lines on a ${rows}-line screen`);
			return frame;
		},
	};
	return mounted;
}

/** Every frame from the top of a list of `count` rows to its end, a screen (`page` rows) at a time. */
async function pageThrough(t: Mounted, what: string, count: number, page: number): Promise<string> {
	await t.press('g');
	let seen = await t.until(() => true, `${what}: the top`);
	for (let shown = page; shown < count; shown += page) {
		await t.press(' ');
		seen += await t.until(() => true, `${what}: a page down`);
	}
	await t.press('G');
	seen += await t.until(() => true, `${what}: the end`);
	return seen;
}

describe('the TUI draws hostile events safely', () => {
	const records = hostileRecords();
	const total = records.length;
	const perString = (hostilePayloads().length - 5) / HOSTILE_STRINGS.length;

	for (const [columns, rows] of [
		[60, 15],
		[150, 40],
	] as const) {
		it(`in every tab, the detail and agent views, the input line, at ${columns}×${rows}`, async () => {
			const t = mount(records, columns, rows);
			const views = () => t.store.snapshot(NOW).views;
			// Rows of a list: the screen less the header, tab bar, footer and the list's title line.
			const page = rows - 5;
			let seen = await t.until((f) => f.includes(CANARY), 'the Events tab with the canary');
			seen += await pageThrough(t, 'Events', total, page);

			// The detail of the first event of each hostile string, and of the odd ones at the end, top and bottom.
			await t.press('g');
			await t.until((f) => f.includes(`1/${total}`), 'the first event');
			const picks = [
				...HOSTILE_STRINGS.map((_, i) => i * perString),
				...Array.from({length: 8}, (_, i) => total - 9 + i),
			];
			let at = 0;
			for (const index of picks) {
				if (index > at) await t.press('j'.repeat(index - at));
				at = index;
				await t.until((f) => f.includes(`${index + 1}/${total}`), `the cursor on event ${index + 1}`);
				await t.press(keys.enter);
				seen += await t.until((f) => f.includes('Esc back'), `the detail of event ${index + 1}`);
				await t.press('G');
				seen += await t.until((f) => f.includes('Esc back'), `the end of the detail of event ${index + 1}`);
				await t.press(keys.escape);
				await t.until((f) => !f.includes('Esc back'), `back from the detail of event ${index + 1}`);
			}

			// Tools: every row, the records of a few calls, the other sort.
			await t.press('2');
			seen += await t.until((f) => f.includes('by time'), 'the Tools tab');
			const toolCount = views().tools().length;
			assert.ok(toolCount > HOSTILE_STRINGS.length * 5, `Tools lists the calls: ${toolCount}`);
			seen += await pageThrough(t, 'Tools', toolCount, page);
			for (const step of ['g', 'j'.repeat(7), 'j'.repeat(30), 'G']) {
				await t.press(step, keys.enter);
				seen += await t.until((f) => f.includes('Esc back'), 'a call’s records');
				await t.press('G');
				seen += await t.until((f) => f.includes('Esc back'), 'the end of a call’s records');
				await t.press(keys.escape);
			}
			await t.press('o');
			seen += await t.until((f) => f.includes('by duration') || columns < 70, 'Tools by duration');

			// Agents: every row; open a few agents and a call of theirs.
			await t.press('3');
			seen += await t.until(() => true, 'the Agents tab');
			const agentCount = views().agents().length;
			assert.ok(agentCount >= HOSTILE_STRINGS.length, `Agents lists the subagents: ${agentCount}`);
			seen += await pageThrough(t, 'Agents', agentCount, page);
			for (const step of ['g', 'j'.repeat(3), 'j'.repeat(9), 'G']) {
				await t.press(step, keys.enter);
				seen += await t.until((f) => f.includes('Esc back'), 'an agent’s calls');
				await t.press(keys.enter);
				seen += await t.until(() => true, 'a call of the agent');
				await t.press(keys.escape, keys.escape);
				await t.until((f) => !f.includes('Esc back'), 'back to the agents');
			}

			// Files: every row and a few entries.
			await t.press('4');
			seen += await t.until(() => true, 'the Files tab');
			const fileCount = views().files().length;
			assert.ok(fileCount >= HOSTILE_STRINGS.length, `Files lists the paths: ${fileCount}`);
			seen += await pageThrough(t, 'Files', fileCount, page);
			for (const step of ['g', 'j'.repeat(5), 'G']) {
				await t.press(step, keys.enter);
				seen += await t.until((f) => f.includes('Esc back'), 'a file entry');
				await t.press(keys.escape);
			}

			// Sessions: every row; scope to hostile session ids and look at every tab through them.
			await t.press('5');
			seen += await t.until(() => true, 'the Sessions tab');
			const sessionCount = views().sessions().length;
			assert.ok(sessionCount >= HOSTILE_STRINGS.length, `Sessions lists the sessions: ${sessionCount}`);
			seen += await pageThrough(t, 'Sessions', sessionCount, page);
			for (const step of ['g', 'j'.repeat(4), 'j'.repeat(11)]) {
				await t.press('5', step, 's');
				seen += await t.until((f) => f.includes('◆'), 'scoped to a session');
				for (const tab of ['1', '2', '3', '4', '5']) {
					await t.press(tab);
					seen += await t.until(() => true, `tab ${tab} scoped`);
				}
				await t.press('S');
				await t.until((f) => !f.includes('◆'), 'unscoped');
			}

			// Hostile text typed into the search and filter lines: the input line and the notes show it safely.
			await t.press('1', '/');
			t.app.stdin.write(`to${CONTROLS.bidi}`);
			seen += await t.until((f) => f.split('\n').at(-1)!.startsWith('/'), 'the search line');
			await t.press(keys.enter);
			seen += await t.until(() => true, 'the search applied');
			await t.press(keys.escape, 'f');
			t.app.stdin.write(`type:${CONTROLS.bidi} ${CONTROLS.c1}`);
			await sleep(20);
			seen += await t.until((f) => f.split('\n').at(-1)!.startsWith('filter:'), 'the filter line');
			await t.press(keys.enter);
			seen += await t.until(() => true, 'the filter applied');
			await t.press(keys.escape, keys.escape, keys.escape, 'G');

			// Still alive: the canary is drawn.
			await t.until((f) => f.includes(CANARY), 'the canary after everything');
			// The controls were shown, not dropped: their stand-ins are on the screen.
			assert.ok(seen.includes('␛'), 'ESC shows as ␛');
			assert.ok(seen.includes('\ufffd'), 'C1 and bidi controls show as �');
			assert.ok(
				seen.includes('\\u202e') && seen.includes('\\u009b'),
				'the detail view writes them as JSON escapes',
			);
			assert.ok(t.frames > 80, `${t.frames} frames checked`);
		});
	}
});
