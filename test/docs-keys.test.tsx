/**
 * The key table (source/tui/keys) drives the key handling, the `?` help and docs/keys.md: the
 * docs' tables are the ones written from it, every key it lists does its command where it
 * applies (a terminal's key press built by hand, as Ink reports it), and the help on a 60×15
 * pane shows every row of it — keys and meaning, none cut.
 */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import React from 'react';
import {initialState, type KeyInfo, type Mode, type UiState} from '../source/tui/app/ui-state.js';
import type {Binding} from '../source/tui/keys/bindings.js';
import {keySections} from '../source/tui/keys/key-sections.js';
import {bindingFor, keyTable} from '../source/tui/keys/key-table.js';
import {isKeySpec} from '../source/tui/keys/match-key.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {tabs} from '../source/tui/tabs/registry.js';
import {KEYS_DOC, keysMarkdown, withKeys} from '../scripts/keys-doc.js';
import {pressKeys, strip, waitForFrame} from './helpers/tui-kit.js';

const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

test('docs/keys.md holds the tables written from the key table (npm run docs:keys)', () => {
	const doc = readFileSync(KEYS_DOC, 'utf8');
	assert.equal(withKeys(doc, keysMarkdown()), doc, 'run npm run docs:keys');
});

/** What Ink reports for a key: the input text and the flags (its Key), for each key spec the table uses. */
function press(spec: string): {input: string; key: KeyInfo} {
	const named: Record<string, {input: string; key: KeyInfo}> = {
		up: {input: '', key: {upArrow: true}},
		down: {input: '', key: {downArrow: true}},
		left: {input: '', key: {leftArrow: true}},
		right: {input: '', key: {rightArrow: true}},
		pageup: {input: '', key: {pageUp: true}},
		pagedown: {input: '', key: {pageDown: true}},
		home: {input: '', key: {home: true}},
		end: {input: '', key: {end: true}},
		enter: {input: '\r', key: {return: true}},
		escape: {input: '', key: {escape: true, meta: true}},
		tab: {input: '', key: {tab: true}},
		'shift+tab': {input: '', key: {tab: true, shift: true}},
		backspace: {input: '', key: {delete: true}},
		space: {input: ' ', key: {}},
		other: {input: 'x', key: {}},
	};
	if (named[spec]) return named[spec];
	if (spec.startsWith('ctrl+')) return {input: spec.slice(5), key: {ctrl: true}};
	return {input: spec, key: spec !== spec.toLowerCase() ? {shift: true} : {}};
}

const modesOf: Record<Binding['where'], Mode[]> = {
	anywhere: ['list', 'detail', 'help', 'search', 'filter', 'export'],
	screen: ['list', 'detail'],
	list: ['list'],
	detail: ['detail'],
	help: ['help'],
	line: ['search', 'filter', 'export'],
};

/** States where `binding` is in force: its modes, on its tab (or every tab), with its condition met. */
function statesFor(binding: Binding): UiState[] {
	const base = initialState({rows: 10, width: 80});
	const variants = [
		base,
		{...base, openAgent: {key: 'agent-1', cursor: 0}},
		{...base, openUsage: {session: 'session-1', cursor: 0, prompt: null}},
	];
	const out: UiState[] = [];
	for (const tab of tabs) {
		if (binding.tab !== undefined && binding.tab !== tab.id) continue;
		for (const mode of modesOf[binding.where]) {
			const state = variants
				.map((v) => ({...v, tab: tab.id, mode}))
				.find((s) => binding.when === undefined || binding.when.test(s));
			if (state) out.push(state);
		}
	}
	return out;
}

test('every key of the table does its command wherever it applies (no other binding takes it first)', () => {
	let checked = 0;
	for (const binding of keyTable) {
		const states = statesFor(binding);
		assert.ok(states.length > 0, `${binding.command} applies somewhere`);
		for (const spec of [...binding.keys, ...(binding.pair?.keys ?? [])]) {
			assert.ok(isKeySpec(spec), `${binding.command}: ${spec} is a key`);
			for (const state of states) {
				const {input, key} = press(spec);
				const found = bindingFor(state, input, key);
				assert.equal(
					found?.binding,
					binding,
					`${spec} on ${state.tab} in ${state.mode}: ${binding.command}, not ${found?.binding.command}`,
				);
				checked++;
			}
		}
	}
	assert.ok(checked > 150, `${checked} presses`);
});

test('every meaning fits the help at 80 columns; the drifted keys are in the table', () => {
	for (const binding of keyTable)
		assert.ok(
			binding.description.length <= 56,
			`${binding.command}: ${binding.description.length} characters`,
		);
	for (const tab of tabs)
		for (const [shown, meaning] of [...(tab.legend ?? []), ...(tab.labels?.lines ?? [])])
			assert.ok(meaning.length <= 56, `${tab.title} ${shown}`);
	const rows = keySections().flatMap((section) => section.rows.map((row) => row.keys.join(', ')));
	for (const key of ['Ctrl-f / Ctrl-b', 'h', '←', 'Backspace'])
		assert.ok(
			rows.some((keys) => keys.split(', ').includes(key)),
			key,
		);
});

test('the ? help on a 60×15 pane shows every row of the key table and every status word, uncut, and scrolls to its end', async () => {
	const store = new EventStore(100);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	const app = render(
		<App
			store={store}
			size={{columns: 60, rows: 15}}
			snapshotIntervalMs={0}
			defaultExportPath={() => './x.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
		/>,
	);
	await pressKeys(app, '2', '?');
	let frame = await waitForFrame(app.lastFrame, (f) => f.includes('Help'), 3000, 'the help');
	const body = (f: string) => f.split('\n').slice(3, -1);
	// A line at a time: each frame's top line is the next help line; the last frame adds the rest.
	const lines: string[] = [];
	let last = '';
	for (let i = 0; i < 200 && frame !== last; i++) {
		last = frame;
		lines.push(body(frame)[0]);
		await pressKeys(app, 'j');
		frame = strip(app.lastFrame());
	}
	lines.push(...body(frame).slice(1));
	for (const line of lines) assert.ok(!line.includes('…'), `cut: ${line}`);
	const text = lines.map((line) => line.replace(/\s+/g, ' ').trim());
	for (const section of keySections()) {
		assert.ok(text.includes(`Keys: ${section.title}`), section.title);
		for (const row of section.rows) {
			const keys = row.keys.join(' ');
			const meaning = row.when ? `${row.description} (${row.when})` : row.description;
			assert.ok(
				text.includes(`${keys} ${meaning}`) || (text.includes(keys) && text.includes(meaning)),
				`${section.title}: ${keys} — ${meaning}`,
			);
		}
	}
	for (const tab of tabs)
		for (const [shown, meaning] of tab.legend ?? [])
			assert.ok(
				text.includes(`${shown} ${meaning}`) || (text.includes(shown) && text.includes(meaning)),
				`${tab.title}: ${shown}`,
			);
	await pressKeys(app, 'g');
	await waitForFrame(app.lastFrame, (f) => /lines 1–/.test(f), 3000, 'g: back to the top');
	await pressKeys(app, '\u0006');
	await waitForFrame(
		app.lastFrame,
		(f) => /lines 11–/.test(f),
		3000,
		'Ctrl-f: a screen down (10 lines on this pane)',
	);
});

/** A Ctrl key as its raw control character (Ctrl-c is U+0003), as the terminal sends it. */
const rawControl = (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 0x60);

test('a Ctrl key read together with the key before it (its raw control character, no key.ctrl) still does its command', () => {
	let checked = 0;
	for (const binding of keyTable) {
		for (const spec of [...binding.keys, ...(binding.pair?.keys ?? [])]) {
			if (!spec.startsWith('ctrl+')) continue;
			const raw = rawControl(spec.slice(5));
			for (const state of statesFor(binding)) {
				// After Esc Ink strips the ESC and leaves the bare character; after `j` the read is one input.
				for (const input of [raw, `j${raw}`]) {
					const found = bindingFor(state, input, {});
					assert.equal(
						found?.binding,
						binding,
						`${JSON.stringify(input)} on ${state.tab} in ${state.mode}: ${binding.command}, not ${found?.binding.command}`,
					);
					checked++;
				}
			}
		}
	}
	assert.ok(checked > 40, `${checked} presses`);
	// Backspace, Tab, LF and Enter send what Ctrl-h, -i, -j and -m would: they never count as those.
	const list = initialState({rows: 10, width: 80});
	for (const input of ['\b', '\t', '\n', '\r', 'j\t'])
		assert.ok(
			!bindingFor(list, input, {})?.binding.keys.some((k) => k.startsWith('ctrl+')),
			JSON.stringify(input),
		);
});

test('Esc then Ctrl-c, and j then Ctrl-c, each in one stdin read through Ink, quit', async () => {
	for (const read of ['\u001B\u0003', 'j\u0003']) {
		let quits = 0;
		const app = render(
			<App
				store={new EventStore(100)}
				size={{columns: 80, rows: 15}}
				snapshotIntervalMs={0}
				defaultExportPath={() => './export.ndjson'}
				onQuit={() => quits++}
				onExport={async (file) => file}
				onDemo={() => {}}
				onPause={() => {}}
			/>,
		);
		await waitForFrame(app.lastFrame, (f) => f.trim() !== '', 3000, 'the first frame');
		await pressKeys(app, read);
		assert.equal(quits, 1, `${JSON.stringify(read)} quits`);
		cleanup();
	}
});

test('every help title keys.md gives is one drawn on screen (scrolled, or the whole help)', async () => {
	const doc = readFileSync(KEYS_DOC, 'utf8');
	const examples = [...doc.matchAll(/`(Help[ ·—][^`]*)`/g)].map((m) => m[1]);
	assert.ok(examples.length > 0, 'keys.md gives the help title');
	const titles: string[] = [];
	for (const rows of [24, 400]) {
		const store = new EventStore(100);
		store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
		const app = render(
			<App
				store={store}
				size={{columns: 100, rows}}
				snapshotIntervalMs={0}
				defaultExportPath={() => './x.ndjson'}
				onQuit={() => {}}
				onExport={async (file) => file}
			/>,
		);
		await pressKeys(app, '?');
		const frame = await waitForFrame(app.lastFrame, (f) => f.includes('Help'), 3000, 'the help');
		titles.push(frame.split('\n')[2].trimEnd());
		app.unmount();
	}
	assert.match(titles[0], /lines 1–\d+ of \d+/, 'scrolled at 24 rows');
	assert.doesNotMatch(titles[1], /lines/, 'whole at 400 rows');
	// The doc's numbers are an example: any numbers, the rest as drawn.
	const numbersOff = (text: string) => text.replace(/\d+/g, 'N');
	for (const example of examples)
		assert.ok(
			titles.some((title) => numbersOff(title) === numbersOff(example)),
			`"${example}" is none of the titles drawn: ${titles.join(' | ')}`,
		);
});
