/**
 * Today's Claude Code on screen, through the real App and store (ink-testing-library), fed with
 * records the real normalizer made from 2.1.2xx hook sequences (test/fixtures/cc-today.ts): the
 * background state and what runs, the Tools status words (launched, denied, interrupted), waiting
 * reasons, an API error in words, the PermissionRequest among a call's records, the help's
 * legend, and that the header, `is:error`, the Sessions error column and the Tools tab agree.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {readFileSync} from 'node:fs';
import {agentsLegend} from '../source/tui/tabs/agents/agent-status.js';
import type {EventRecord} from '../source/core/record.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {SESSION_ID} from './fixtures/hook-payloads.js';
import {
	BG_EXPLORE_STOP,
	BG_STOP,
	backgroundWork,
	cancelledCall,
	mixedErrorCount,
	mixedErrors,
	permissionWait,
	PERM_REQUEST,
} from './fixtures/cc-today.js';
import {hook, OTHER_SESSION, seq, T0} from './fixtures/view-sequences.js';
import {keys, pressKeys, strip, waitForFrame} from './helpers/tui-kit.js';

process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

afterEach(() => cleanup());

function mount(records: EventRecord[], options: {columns?: number; rows?: number; now?: number} = {}) {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	store.append(records, T0);
	const clock = {now: options.now ?? T0 + 2500};
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
		/>,
	);
	return {
		store,
		app,
		clock,
		until: (check: (frame: string) => boolean, what?: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
		press: (...inputs: string[]) => pressKeys(app, ...inputs),
	};
}

function body(frame: string): string[] {
	return frame
		.split('\n')
		.slice(3, -1)
		.filter((l) => l.trim() !== '');
}

describe("today's Claude Code on screen", () => {
	it('Sessions: a session paused on background work shows ◇ background N and what runs, until it finishes', async () => {
		const t = mount(seq(...backgroundWork.slice(0, BG_STOP + 1)));
		await t.press('5');
		let frame = await t.until((f) => f.includes('◇ background 3'), 'the background state');
		assert.match(body(frame)[0], /◇ background 3 +5b1e0c9a +~\/app +runs: Explore: Audit the dependencie/);
		const raw = (t.app.lastFrame() ?? '').split('\n').find((l) => l.includes('◇ background'));
		assert.ok(raw?.includes('\u001B[34m'), 'the state is blue');
		assert.ok(!frame.split('\n')[0].includes('waiting'), 'background work is not waiting for you');
		t.clock.now = T0 + 9100;
		t.store.append(seq(...backgroundWork.slice(BG_STOP + 1, BG_EXPLORE_STOP + 1)), T0);
		frame = await t.until((f) => f.includes('◇ background 2'), 'one agent done');
		assert.match(body(frame)[0], /runs: code-reviewer: Review the diff/);
		t.clock.now = T0 + 61_000;
		t.store.append(seq(...backgroundWork.slice(BG_EXPLORE_STOP + 1)), T0);
		frame = await t.until((f) => f.includes('○ idle'), 'everything finished');
		assert.ok(!frame.includes('◇'));

		const wide = mount(seq(...backgroundWork.slice(0, BG_STOP + 1)), {columns: 220});
		await wide.press('5');
		frame = await wide.until((f) => f.includes('◇ background 3'), 'a wide pane');
		assert.match(
			body(frame)[0],
			/runs: Explore: Audit the dependencies, code-reviewer: Review the diff, Start the dev server · 1 cron /,
			'what runs, and the cron',
		);

		const narrow = mount(seq(...backgroundWork.slice(0, BG_STOP + 1)), {columns: 60, rows: 15});
		await narrow.press('5');
		frame = await narrow.until((f) => f.includes('◇ bg 3'), 'the narrow form');
		for (const line of frame.split('\n')) assert.ok([...line].length <= 60, line);
	});

	it("Agents: a running agent's took counts up, as the help and usage.md say; `–` is said of a lost one", async () => {
		const t = mount(seq(...backgroundWork.slice(0, BG_STOP + 1)));
		await t.press('3');
		const took = (frame: string) =>
			body(frame)
				.filter((l) => l.includes('running bg'))
				.map((l) => /running bg +(\S+)/.exec(l)?.[1]);
		const before = took(await t.until((f) => f.includes('running bg'), 'the Agents tab'));
		assert.equal(before.length, 2);
		for (const value of before) assert.match(value ?? '', /^\d+(\.\d+)?m?s$/, 'a duration, not –');
		t.clock.now += 60_000;
		const after = took(await t.until((f) => /running bg +1m\d\ds/.test(f), 'took counts up with the clock'));
		assert.ok(
			after.every((value) => /^1m\d\ds$/.test(value ?? '')),
			after.join(' '),
		);
		const legend = new Map(agentsLegend);
		assert.match(legend.get('◐ running') ?? '', /took counts up/);
		assert.match(legend.get('–') ?? '', /lost/);
		const usage = readFileSync(new URL('../docs/usage.md', import.meta.url), 'utf8');
		const agents = usage.slice(usage.indexOf('**Agents** — '), usage.indexOf('**Files** — '));
		assert.match(agents, /`took` counts up while the agent runs/);
		assert.doesNotMatch(agents, /`took` is `–` while no end has come/);
	});

	it('Tools and Agents: background launches say launched and running bg; a cancelled call is ⊘ interrupted, not ? lost', async () => {
		const t = mount(seq(...backgroundWork.slice(0, BG_STOP + 1)));
		await t.press('2');
		let frame = await t.until((f) => /npm run dev .*launched/.test(f), 'the Tools tab');
		assert.match(frame, /✓ .*Bash +npm run dev +96ms +launched/);
		assert.match(frame, /✓ .*Agent +Explore: Audit the dependencies +58ms +launched/);
		await t.press('3');
		frame = await t.until((f) => f.includes('running bg'), 'the Agents tab');
		assert.equal(body(frame).filter((l) => /running bg/.test(l)).length, 2);

		const c = mount(seq(...cancelledCall), {now: T0 + 41_000});
		await c.press('2');
		frame = await c.until((f) => /npm run watch .* – interrupted/.test(f), 'the cancelled calls');
		assert.match(frame, /⊘ .*Bash +npm run watch .* – interrupted/);
		assert.match(frame, /⊘ .*Bash +npm test .* – interrupted/);
		assert.ok(!/\? |lost/.test(body(frame).join('\n')), 'nothing lost');
		assert.match(frame, /npm run watch +— no end before the next prompt/, 'a wide pane says why');
		await c.press('G', keys.enter);
		frame = await c.until((f) => f.includes('Esc back'), 'the detail');
		assert.match(frame, /Bash npm run watch · interrupted \(no end before the next prompt\) · 1 record/);
		c.clock.now = T0 + 20 * 60_000;
		await c.press(keys.escape);
		frame = await c.until((f) => !f.includes('Esc back'));
		assert.ok(!/lost/.test(body(frame).join('\n')), 'not lost after the timeout either');
	});

	it('a call that waited for permission lists its PermissionRequest among its records', async () => {
		const records = seq(...permissionWait);
		const t = mount(records, {now: T0 + 9600});
		await t.press('2');
		await t.until((f) => f.includes('rm -rf build'));
		assert.match(t.app.lastFrame() ?? '', /✓⚑/);
		await t.press(keys.enter);
		let frame = await t.until((f) => f.includes('Esc back'), 'the call detail');
		assert.match(frame, /Bash rm -rf build · ok · 3 records/);
		const seen: string[] = [];
		for (let i = 0; i < 12 && seen.length < 3; i++) {
			for (const m of frame.matchAll(/^ {4}"type": "(\w+)"/gm)) if (!seen.includes(m[1])) seen.push(m[1]);
			await t.press(' ');
			frame = strip(t.app.lastFrame());
		}
		assert.deepEqual(seen, ['PreToolUse', 'PermissionRequest', 'PostToolUse'], 'start, permission, end');
		assert.equal(records[PERM_REQUEST].type, 'PermissionRequest');
	});

	it('Sessions: waiting reasons and an API error in words', async () => {
		const other = {session_id: OTHER_SESSION, cwd: '/home/u/lib'};
		const records = seq(
			[0, hook('UserPromptSubmit', {prompt: 'deploy'})],
			[
				100,
				hook('Notification', {
					message: 'Open https://auth.example.com to continue',
					notification_type: 'elicitation_url_dialog',
				}),
			],
			[200, hook('UserPromptSubmit', {...other, prompt: 'big refactor'})],
			[
				300,
				hook('StopFailure', {
					...other,
					error: 'billing_error',
					error_details: 'credit balance too low',
					last_assistant_message: '',
				}),
			],
		);
		const t = mount(records, {now: T0 + 5000, columns: 170});
		await t.press('5');
		const frame = await t.until((f) => f.includes('API error'), 'the sessions');
		const rows = body(frame);
		assert.match(
			rows[0],
			/▲ WAITING +5b1e0c9a .*asks you to open a URL \(4\.9s\): Open https:\/\/auth\.example\.com to continue/,
		);
		assert.match(rows[1], /✗ API error +c0ffee00 .*billing error: credit balance too low/);
		const raw = (t.app.lastFrame() ?? '').split('\n').find((l) => l.includes('API error'));
		assert.ok(raw?.includes('\u001B[31m'), 'red');
		assert.match(frame.split('\n')[0], /1 waiting/);
	});

	it('the header, is:error, the Sessions error column and the Tools tab count the same errors', async () => {
		const t = mount(seq(...mixedErrors), {now: T0 + 9500});
		let frame = await t.until((f) => f.includes(`${mixedErrorCount.total} errors`), 'the header');
		assert.match(frame.split('\n')[0], new RegExp(`│ ${mixedErrorCount.total} errors`));
		await t.press('f');
		await t.app.stdin.write('is:error');
		await t.press(keys.enter);
		frame = await t.until(
			(f) => f.includes(`filtered · ${mixedErrorCount.total}/${mixedErrorCount.total}`),
			'is:error',
		);
		assert.deepEqual(
			body(frame).map((l) =>
				/ (PermissionDenied|PostToolUseFailure|StopFailure) .*(git push|npm test|rate_limit|npm run build)/
					.exec(l)
					?.slice(1),
			),
			[
				['PermissionDenied', 'git push'],
				['PostToolUseFailure', 'npm test'],
				['StopFailure', 'rate_limit'],
				['PostToolUseFailure', 'npm run build'],
			],
		);
		await t.press(keys.escape);
		await t.until((f) => !f.includes('filtered'));
		await t.press('5');
		frame = await t.until((f) => f.includes('✗ API error'), 'the Sessions tab');
		// The err column is right-aligned under its title: read the cell that ends where the title ends.
		const title = frame.split('\n')[2];
		const end = title.indexOf(' err ') + 4;
		const errColumn = (id: string) => {
			const cell = body(frame)
				.find((l) => l.includes(id.slice(0, 8)))!
				.slice(end - 4, end)
				.trim();
			return cell === '·' ? 0 : Number(cell);
		};
		assert.equal(errColumn(SESSION_ID), mixedErrorCount[SESSION_ID]);
		assert.equal(errColumn(OTHER_SESSION), mixedErrorCount[OTHER_SESSION]);
		await t.press('2');
		frame = await t.until((f) => f.includes('git push'), 'the Tools tab');
		const errored = body(frame).filter((l) => /^.?✗/.test(l.trim()) || /^[ ›]✗/.test(l));
		assert.equal(
			errored.length,
			mixedErrorCount.total - 1,
			'failed and denied calls: every error but the failed turn',
		);
		assert.match(frame, /✗ .*git push --force .* denied/);
		assert.match(frame, /⊘ .*npm run watch .* interrupted/);
		assert.match(frame, /⊘ .*npm run lint .* interrupted/);
	});

	it("? lists every status word each tab shows under that tab's heading, the tab on screen first, and scrolls", async () => {
		const t = mount([], {rows: 20});
		await t.press('2', '?');
		let frame = await t.until((f) => f.includes('Help'), 'the help');
		assert.match(frame.split('\n')[3], /Tools: status words/, "the Tools tab's words first");
		// Step a line at a time: each frame's top help line is the next line of the help; the last
		// frame adds the rest. That gives every line in order, so each word is read under its heading.
		const helpBody = (f: string) => f.split('\n').slice(3, -1);
		const all: string[] = [];
		let last = '';
		for (let i = 0; i < 400 && frame !== last; i++) {
			last = frame;
			all.push(helpBody(frame)[0]);
			await t.press('j');
			frame = strip(t.app.lastFrame());
		}
		all.push(...helpBody(frame).slice(1));
		const sections = new Map<string, string[]>();
		let heading = '';
		for (const line of all) {
			const m = /^(\w+): status words|^(Keys): /.exec(line.trim());
			if (m) heading = m[1] ?? m[2];
			else sections.set(heading, [...(sections.get(heading) ?? []), line]);
		}
		const has = (section: string, word: string) =>
			(sections.get(section) ?? []).some((line) => line.trimStart().startsWith(word));
		const expected: Record<string, string[]> = {
			Tools: ['◐ running', '✓ ok', '✓ launched', '✗ failed', '✗ denied', '⊘ interrupted', '? lost', '⚑'],
			Agents: ['◐ running', '✓ done', '✗ failed', '✗ denied', '⊘ interrupted', '? lost'],
			Sessions: ['▲ WAITING', '● working', '◇ background N', '✗ API error', '○ idle', '· stale', '· ended'],
			Keys: ['j / k', 'q', 'Ctrl-c', '?'],
		};
		for (const [section, words] of Object.entries(expected))
			assert.deepEqual(
				words.filter((w) => !has(section, w)),
				[],
				`${section}: every word under its heading`,
			);
		assert.deepEqual(
			[...sections.keys()],
			['Tools', 'Keys', 'Events', 'Agents', 'Files', 'Sessions', 'Usage', 'Header'],
			'the tab on screen first, then the keys, then the others, then the header',
		);
		assert.match(frame, /lines \d+–\d+ of \d+/);
		await t.press('g');
		frame = await t.until((f) => /lines 1–/.test(f), 'g: back to the top');
		await t.press('j');
		await t.until((f) => /lines 2–/.test(f), 'j scrolls a line');
		await t.press('x');
		await t.until((f) => f.includes('No tool calls yet'), 'any other key closes it');
	});
});
