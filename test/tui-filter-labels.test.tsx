/**
 * Labels you can type, in the real App (ink-testing-library): the type column shows full hook
 * names where they fit and short labels where not, `type:<label>` selects what shows that label,
 * a mistyped `is:` is refused with "did you mean", a `type:` no hook has and no event carries is
 * applied and said, and the tab bar shows the filter in force, cut to fit.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {keys, record, sleep, waitForFrame} from './helpers/tui-kit.js';

process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

function sample() {
	const bash = (type: string, summary: string) => record({type, tool: 'Bash', summary});
	return [
		record({type: 'SessionStart', summary: 'session  startup'}),
		record({type: 'UserPromptSubmit', summary: 'prompt  "fix the failing test"'}),
		bash('PreToolUse', 'Bash  npm test'),
		bash('PermissionRequest', 'permission  Bash npm test'),
		bash('PostToolUseFailure', 'Bash  npm test  — Exit code 1'),
		record({type: 'SubagentStart', summary: 'agent  Explore', agentId: 'a1', agentType: 'Explore'}),
		record({type: 'mpm:constructor', summary: 'mpm  constructor'}),
		record({type: 'Stop', summary: 'stop  "Done"'}),
	];
}

function mount(columns: number) {
	const store = new EventStore(1000);
	store.setLink({status: 'connected', address: 'http://127.0.0.1:9999', attempt: 0});
	const app = render(
		<App
			store={store}
			size={{columns, rows: 20}}
			snapshotIntervalMs={0}
			defaultExportPath={() => '/nonexistent/x.ndjson'}
			onQuit={() => {}}
			onExport={async () => 'unused'}
		/>,
	);
	store.append(sample(), Date.now());
	return {
		app,
		until: (check: (frame: string) => boolean, what?: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
		async type(text: string) {
			for (const char of Array.from(text)) {
				app.stdin.write(char);
				await sleep(4);
			}
			await sleep(20);
		},
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
/** Line 2 of the screen: the tab bar. */
const tabBar = (frame: string) => frame.split('\n')[1];

describe('tui type labels and the filter on screen', () => {
	it('at 140 columns the type column shows every hook name in full', async () => {
		const t = mount(140);
		const frame = await t.until((f) => f.includes('8/8'));
		for (const name of [
			'SessionStart',
			'UserPromptSubmit',
			'PermissionRequest',
			'PostToolUseFailure',
			'SubagentStart',
			'mpm:constructor',
		])
			assert.ok(frame.includes(` ${name} `), `${name} in full:\n${frame}`);
		for (const short of ['SessionStrt', 'PostToolFail', 'AgentStart', 'Permission '])
			assert.ok(!frame.includes(short), `no ${short}`);
	});

	it('at 80 columns a short label shows, and typing it as type: selects exactly the events that show it', async () => {
		const t = mount(80);
		let frame = await t.until((f) => f.includes('8/8'));
		assert.equal(listRows(frame).filter((row) => row.includes(' PostToolFail ')).length, 1, frame);
		await t.press('f');
		await t.type('type:PostToolFail');
		await t.press('\r');
		frame = await t.until((f) => f.includes('filtered · 1/1'), 'the label to select its event');
		assert.match(listRows(frame)[0], /PostToolFail +Bash {2}npm test {2}— Exit code 1/);
		assert.match(tabBar(frame), /filter: type:PostToolFail$/, 'the tab bar shows the filter in force');
		assert.ok(stringWidth(tabBar(frame)) <= 80, 'within the width');
		await t.press('f', keys.ctrlU);
		await t.type('type:PermRequest,AgentStart');
		await t.press('\r');
		frame = await t.until((f) => f.includes('filtered · 2/2'), 'two labels as alternatives');
		assert.deepEqual(
			listRows(frame).map((row) => /(PermRequest|AgentStart)/.exec(row)?.[1]),
			['PermRequest', 'AgentStart'],
		);
	});

	it('is:eror stays on the line with its error and "did you mean is:error?"; the list is unchanged', async () => {
		const t = mount(100);
		await t.until((f) => f.includes('8/8'));
		await t.press('f');
		await t.type('is:eror');
		await t.press('\r');
		const frame = await t.until((f) => f.includes('unknown is: value "eror"'), 'the error inline');
		assert.match(frame, /filter: is:eror .*did you mean is:error\?/);
		assert.ok(frame.includes('8/8') && !frame.includes('filtered'), 'nothing applied');
		await t.press(keys.ctrlU);
		await t.type('is:error');
		await t.press('\r');
		await t.until((f) => f.includes('filtered · 1/1'), 'the corrected filter applies');
	});

	for (const columns of [80, 60])
		it(`${columns} columns: the README's long example with is:eror shows its error in red beside the end of the input`, async () => {
			const t = mount(columns);
			await t.until((f) => f.includes('8/8'));
			await t.press('f');
			await t.type(
				'type:PreToolUse tool:Bash,Read session:5b1e agent:Explore -type:Notification is:eror "npm test"',
			);
			await t.press('\r');
			const frame = await t.until((f) => f.includes('✖'), 'the error in the footer');
			const footer = frame.split('\n').at(-1) ?? '';
			assert.ok(stringWidth(footer) <= columns, `within the width: ${footer}`);
			assert.match(footer, /^filter: ….*npm test" +✖ unknown is: value "eror"; did you me/, footer);
			if (columns >= 80) assert.match(footer, /did you mean is:error\?/, footer);
			// The typed text and the error are red (SGR 31).
			const raw = (t.app.lastFrame() ?? '').split('\n').at(-1) ?? '';
			assert.match(raw, /\u001B\[31m…[^\u001B]*npm test"/, 'the input in red');
			assert.match(raw, /\u001B\[31m +✖ unknown/, 'the error in red');
			assert.ok(frame.includes('8/8') && !frame.includes('filtered'), 'nothing applied');
		});

	it('a type: no hook has and no event carries is applied and said (did you mean); one that arrived is matched without a word', async () => {
		const t = mount(100);
		await t.until((f) => f.includes('8/8'));
		await t.press('f');
		await t.type('type:PostToolFial');
		await t.press('\r');
		let frame = await t.until((f) => f.includes('No events match the filter'), 'the filter applied, empty');
		assert.ok(
			frame.includes(
				'⚠ type:PostToolFial is no hook name and none has arrived; did you mean type:PostToolFail?',
			),
			frame,
		);
		assert.match(tabBar(frame), /filter: type:PostToolFial$/);
		await t.press('f', keys.ctrlU);
		await t.type('type:mpm:constructor');
		await t.press('\r');
		frame = await t.until((f) => f.includes('filtered · 1/1'), 'the unknown type that arrived');
		assert.ok(!frame.includes('⚠'), frame);
	});

	it('a long filter is cut to fit the tab bar at 60 columns, the other tabs shown by number', async () => {
		const t = mount(60);
		await t.until((f) => f.includes('8/8'));
		await t.press('f');
		await t.type('-type:Stop,SessionStart,PermissionRequest tool:Bash "exit code"');
		await t.press('\r');
		const frame = await t.until((f) => f.includes('filtered'), 'the filter to apply');
		const bar = tabBar(frame);
		assert.match(bar, /^ 1 Events {3}2 {3}3 {3}4 {3}5 {3}6 {2}filter: -type:Stop,Sessio.*…$/, bar);
		assert.ok(stringWidth(bar) <= 60, `${stringWidth(bar)} cells`);
	});
});
