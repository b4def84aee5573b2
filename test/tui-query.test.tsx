/**
 * Search, filter and export in the Ink app (ink-testing-library). Export writes real files in a
 * temp dir through the same function the CLI uses.
 */
import {after, afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import type {EventRecord} from '../source/core/record.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {exportEvents} from '../source/tui/tabs/events/export-events.js';
import {keys, record, sleep, strip, waitForFrame} from './helpers/tui-kit.js';

process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-query-'));
after(() => rmSync(dir, {recursive: true, force: true}));
afterEach(() => cleanup());

function sample(): EventRecord[] {
	const bash = (command: string, type = 'PreToolUse') =>
		record({type, tool: 'Bash', summary: `Bash  ${command}`});
	const read = (file: string) => record({type: 'PreToolUse', tool: 'Read', summary: `Read  ${file}`});
	return [
		record({type: 'UserPromptSubmit', summary: 'prompt  "fix the failing test"'}),
		read('source/app.tsx'),
		bash('npm test'),
		bash('npm test', 'PostToolUseFailure'),
		read('source/store/session.ts'),
		bash('git status --short'),
		record({type: 'Notification', summary: 'notify  Claude needs your permission to use Bash'}),
		read('test/app.test.tsx'),
		record({type: 'Stop', summary: 'stop  "Done"', session: '9af9ed02-5601-4c56-9fbb-5522e53a50ae'}),
	];
}

function mount() {
	const store = new EventStore(1000);
	store.setLink({status: 'connected', address: 'http://127.0.0.1:9999', attempt: 0});
	const app = render(
		<App
			store={store}
			size={{columns: 100, rows: 20}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			defaultExportPath={() => path.join(dir, 'default-export.ndjson')}
			onQuit={() => {}}
			onExport={(file, records) => exportEvents(file, records, dir)}
		/>,
	);
	const records = sample();
	store.append(records, Date.now());
	return {
		store,
		app,
		records,
		until: (check: (frame: string) => boolean, what?: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
		async press(...inputs: string[]) {
			for (const input of inputs) {
				app.stdin.write(input);
				await sleep(input === keys.escape ? 30 : 8);
			}
			await sleep(20);
		},
	};
}

const listRows = (frame: string) =>
	frame
		.split('\n')
		.slice(3, -1)
		.filter((line) => line.trim() !== '');

describe('tui search, filter, export', () => {
	it('/ narrows the list to fuzzy matches, highlights them, n/N move, Esc clears', async () => {
		const t = mount();
		await t.until((f) => f.includes('9/9'));
		await t.press('/', 'r', 'e', 'a', 'd', ' ', 's', 'o', 'u', 'r', 'c', 'e');
		let frame = await t.until(
			(f) => f.includes('/read source: 2 matches'),
			'the search to apply while typing',
		);
		const rows = listRows(frame);
		assert.equal(rows.length, 2);
		assert.ok(
			rows.every((r) => r.includes('Read  source/')),
			rows.join('\n'),
		);
		assert.match(t.app.lastFrame() ?? '', /\u001B\[43m/, 'matches are highlighted (yellow background)');
		await t.press(keys.enter);
		frame = await t.until((f) => f.includes('n/N next/prev match'), 'Enter keeps the search');
		assert.match(frame, /2\/2/);
		await t.press('n');
		await t.until((f) => f.includes(' 1/2'), 'n wraps to the first match');
		await t.press('N');
		await t.until((f) => f.includes(' 2/2'), 'N goes back');
		await t.press(keys.escape);
		frame = await t.until((f) => f.includes('9/9') && !f.includes('match'), 'Esc clears the search');
	});

	it('search keeps up with new events while active', async () => {
		const t = mount();
		await t.press('/', 'g', 'i', 't', ' ', 's', 't', 'a', 't', 'u', 's', keys.enter);
		await t.until((f) => f.includes('1 match'));
		t.store.append(
			[
				record({type: 'PreToolUse', tool: 'Bash', summary: 'Bash  git status'}),
				record({summary: 'Read  unrelated.ts'}),
			],
			Date.now(),
		);
		const frame = await t.until((f) => f.includes('2 matches'), 'a new matching event joins the list');
		assert.ok(!frame.includes('unrelated'));
	});

	it('f applies the structured filter; errors show inline; empty clears', async () => {
		const t = mount();
		await t.until((f) => f.includes('9/9'));
		await t.press('f', ...'tool:Bash -type:PostToolUseFailure', keys.enter);
		let frame = await t.until((f) => f.includes('filtered · 2/2'), 'the filter to apply');
		for (const row of listRows(frame)) assert.match(row, /Bash/);
		assert.ok(!frame.includes('PostToolFail'));
		await t.press('f');
		await t.until(
			(f) => f.includes('filter: tool:Bash -type:PostToolUseFailure'),
			'f shows the current filter',
		);
		await t.press(keys.ctrlU, ...'bogus:x', keys.enter);
		frame = await t.until((f) => f.includes('unknown filter key "bogus"'), 'the parse error inline');
		assert.match(frame, /filter: bogus:x/, 'the line stays open to fix');
		await t.press(keys.escape);
		frame = await t.until(
			(f) => f.includes('filtered · 2/2') && !f.includes('bogus'),
			'Esc cancels the edit and keeps the old filter',
		);
		await t.press('f', keys.ctrlU, keys.enter);
		await t.until((f) => f.includes('9/9') && !f.includes('filtered'), 'an empty filter clears it');
		await t.press('f', ...'session:9af9', keys.enter);
		frame = await t.until((f) => f.includes('filtered · 1/1'));
		assert.match(frame, /stop {2}"Done"/);
		await t.press(keys.escape);
		await t.until((f) => f.includes('9/9') && !f.includes('filtered'), 'Esc in the list clears the filter');
	});

	it('filter and search combine: filter first, then fuzzy search', async () => {
		const t = mount();
		await t.press('f', ...'tool:Read', keys.enter);
		await t.until((f) => f.includes('filtered · 3/3'));
		await t.press('/', ...'session', keys.enter);
		const frame = await t.until((f) => f.includes('1 match'));
		assert.match(frame, /source\/store\/session\.ts/);
	});

	it('e exports the listed events as NDJSON to the default path, then as JSON', async () => {
		const t = mount();
		await t.press('f', ...'tool:Bash', keys.enter);
		await t.until((f) => f.includes('filtered · 3/3'));
		await t.press('e');
		await t.until(
			(f) => f.includes(`export to: ${path.join(dir, 'default-export.ndjson')}`),
			'the default path in the footer',
		);
		await t.press(keys.enter);
		const target = path.join(dir, 'default-export.ndjson');
		await t.until((f) => f.includes(`exported 3 events to ${target}`), 'the written path in the footer');
		const lines = readFileSync(target, 'utf8')
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line) as EventRecord);
		assert.deepEqual(
			lines,
			t.records.filter((r) => r.tool === 'Bash'),
		);

		await t.press('e', keys.ctrlU, ...'picked.json', keys.enter);
		await t.until((f) => f.includes(`exported 3 events to ${path.join(dir, 'picked.json')}`));
		assert.deepEqual(
			JSON.parse(readFileSync(path.join(dir, 'picked.json'), 'utf8')),
			t.records.filter((r) => r.tool === 'Bash'),
		);
	});

	it('export refuses to overwrite and says why', async () => {
		const t = mount();
		writeFileSync(path.join(dir, 'taken.ndjson'), 'keep me\n');
		await t.press('e', keys.ctrlU, ...'taken.ndjson', keys.enter);
		await t.until((f) => f.includes('export failed:') && f.includes('already exists'));
		assert.equal(readFileSync(path.join(dir, 'taken.ndjson'), 'utf8'), 'keep me\n');
		await t.press('e', keys.ctrlU, ...'no/such/dir/x.ndjson', keys.enter);
		await t.until((f) => f.includes('no such directory'));
	});

	it('Esc on the export line cancels without writing', async () => {
		const t = mount();
		await t.press('e', keys.ctrlU, ...'never.ndjson', keys.escape);
		await t.until((f) => !f.includes('export to'));
		await sleep(50);
		assert.throws(() => readFileSync(path.join(dir, 'never.ndjson')), /ENOENT/);
		assert.ok(!strip(t.app.lastFrame()).includes('exported'));
	});
});
