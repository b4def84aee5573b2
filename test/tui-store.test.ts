/**
 * The TUI's event store, the fuse.js search index, the demo generator and the replay loader.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {compileFilter} from '../source/core/filter.js';
import {demoSteps, takeDemo} from '../source/core/demo.js';
import {normalize} from '../source/core/normalize.js';
import {SearchIndex, searchAmong} from '../source/core/search.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {EVEN_GAP_MS, loadReplay, playReplay, ReplayError} from '../source/tui/sources/replay.js';
import {demoRecords, record} from './helpers/tui-kit.js';
import {hook, pre, seq} from './fixtures/view-sequences.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-store-'));
after(() => rmSync(dir, {recursive: true, force: true}));

const now = Date.parse('2026-11-23T10:00:00Z');

describe('event store', () => {
	it('keeps within a byte bound as well as a count: the oldest large events go first, the newest always stays', () => {
		const store = new EventStore(1000, 2_000_000);
		const big = (seq: number) =>
			record({seq, summary: `big ${seq}`, payload: {tool_response: {stdout: 'x'.repeat(300_000)}}});
		for (let seq = 1; seq <= 20; seq++) store.append([big(seq)], now);
		const kept = store.snapshot(now).items.map((r) => r.seq);
		// Each is about 300 KB as JSON (its length is the oracle here, not the store's estimate): 6 fit in 2 MB.
		const size = JSON.stringify(big(1)).length;
		assert.equal(kept.length, Math.floor(2_000_000 / size));
		assert.deepEqual(
			kept,
			Array.from({length: kept.length}, (_, i) => 20 - kept.length + 1 + i),
			'the newest, in order',
		);
		assert.equal(store.snapshot(now).received, 20);
		const huge = new EventStore(1000, 1000);
		huge.append([big(1), big(2)], now);
		assert.deepEqual(
			huge.snapshot(now).items.map((r) => r.seq),
			[2],
			'one event larger than the bound is still shown',
		);
	});

	it("lists a tool call's records start first, even when the end arrived first", () => {
		const store = new EventStore(50);
		const post = record({
			seq: 1,
			type: 'PostToolUse',
			tool: 'Bash',
			toolUseId: 'toolu_x',
			summary: 'Bash  npm test',
		});
		const pre = record({
			seq: 2,
			type: 'PreToolUse',
			tool: 'Bash',
			toolUseId: 'toolu_x',
			summary: 'Bash  npm test',
		});
		const other = record({
			seq: 3,
			type: 'PreToolUse',
			tool: 'Read',
			toolUseId: 'toolu_y',
			summary: 'Read  a.ts',
		});
		store.append([post, pre, other], now);
		const call = store
			.snapshot(now)
			.views.tools()
			.find((c) => c.toolUseId === 'toolu_x');
		assert.ok(call, 'the call is in the Tools view');
		assert.equal(call.status, 'ok');
		assert.deepEqual(
			store.recordsOf(call).map((r) => r.type),
			['PreToolUse', 'PostToolUse'],
		);
	});

	it('keeps at most its capacity, counts everything, and skips an id it already has', () => {
		const store = new EventStore(50);
		const records = demoRecords(120);
		store.append(records.slice(0, 70), now);
		store.append(records.slice(60), now); // 60..69 again
		const snap = store.snapshot(now);
		assert.equal(snap.received, 120);
		assert.equal(snap.items.length, 50);
		assert.deepEqual(
			snap.items.map((r) => r.seq),
			records.slice(70).map((r) => r.seq),
		);
		assert.equal(snap.listDropped, 70);
		assert.equal(snap.sessions, 2);
		assert.equal(snap.errors, records.filter((r) => /Failure|Denied/.test(r.type)).length);
		assert.equal(snap.perMinute, 120);
		assert.equal(store.snapshot(now + 61_000).perMinute, 0, 'the rate window slides');
	});

	it('keeps the filtered and searched list in step with new events', () => {
		const store = new EventStore(1000);
		store.append(demoRecords(200), now);
		const filter = compileFilter('tool:Bash');
		assert.ok(filter.ok);
		store.setQuery(filter.test, '');
		const before = store.snapshot(now).items.length;
		assert.ok(before > 0);
		const more = demoRecords(100, 99);
		store.append(more, now);
		const all = store.snapshot(now).items;
		assert.equal(all.length, before + more.filter((r) => r.tool === 'Bash').length);
		assert.ok(all.every((r) => r.tool === 'Bash'));
		store.setQuery(filter.test, 'npm test');
		const searched = store.snapshot(now);
		assert.ok(searched.items.length > 0 && searched.items.length < all.length);
		assert.ok(searched.items.every((r) => r.tool === 'Bash' && searched.hits.has(r)));
		store.append(
			[
				record({tool: 'Bash', type: 'PreToolUse', summary: 'Bash  npm test -- --watch'}),
				record({tool: 'Read', summary: 'Read  npm test'}),
			],
			now,
		);
		const after = store.snapshot(now);
		assert.equal(after.items.length, searched.items.length + 1);
		assert.equal(after.items.at(-1)?.summary, 'Bash  npm test -- --watch');
	});

	it('clears the view without forgetting the counts', () => {
		const store = new EventStore(100);
		store.append(demoRecords(30), now);
		store.clearView();
		assert.equal(store.snapshot(now).items.length, 0);
		store.append([record({summary: 'new'})], now);
		const snap = store.snapshot(now);
		assert.deepEqual(
			snap.items.map((r) => r.summary),
			['new'],
		);
		assert.equal(snap.received, 31);
		store.setQuery(null, '');
		assert.equal(store.snapshot(now).items.length, 1, 'a new query does not bring cleared events back');
	});

	it('tells listeners when something changed', () => {
		const store = new EventStore(10);
		let calls = 0;
		const off = store.subscribe(() => calls++);
		store.append([record({summary: 'a'})], now);
		store.setLink({status: 'connected'});
		off();
		store.append([record({summary: 'b'})], now);
		assert.equal(calls, 2);
	});
});

describe('event store: pause holds the views', () => {
	const calls = (store: EventStore) =>
		store
			.snapshot(now)
			.views.tools()
			.map((call) => call.target)
			.sort();
	const bash = (n: number) =>
		seq(
			...Array.from({length: n}, (_, i): [number, ReturnType<typeof pre>] => [
				i,
				pre('Bash', `h${n}-${i}`, {command: `cmd ${n}-${i}`}),
			]),
		);

	it('what arrives while held is in no view until released, then in all; the waiting count stays live', () => {
		const store = new EventStore(100);
		store.append(bash(2), now);
		store.holdViews(true);
		store.append(
			[...bash(3), ...seq([50, hook('PermissionRequest', {tool_name: 'Bash', tool_input: {command: 'ls'}})])],
			now,
		);
		assert.deepEqual(calls(store), ['cmd 2-0', 'cmd 2-1'], 'held');
		assert.equal(store.snapshot(now).views.waiting, 1, 'the header counts the waiting session at once');
		store.holdViews(false);
		assert.deepEqual(calls(store), ['cmd 2-0', 'cmd 2-1', 'cmd 3-0', 'cmd 3-1', 'cmd 3-2']);
	});

	it('more arriving while held than the store keeps: the release rebuilds from what it keeps', () => {
		const store = new EventStore(4);
		store.append(bash(1), now);
		store.holdViews(true);
		store.append(bash(6), now);
		assert.deepEqual(calls(store), ['cmd 1-0'], 'held');
		store.holdViews(false);
		assert.deepEqual(calls(store), ['cmd 6-2', 'cmd 6-3', 'cmd 6-4', 'cmd 6-5'], 'the 4 events kept');
	});
});

describe('search index', () => {
	it('finds fuzzy matches by summary, tool, type and session, and highlights the summary', () => {
		const index = new SearchIndex();
		const records = [
			record({summary: 'Bash  npm test', tool: 'Bash'}),
			record({summary: 'Read  source/app.tsx', tool: 'Read'}),
			record({summary: 'stop  "Done"', type: 'Stop', session: 'abcdef12-0000'}),
		];
		index.add(records);
		assert.deepEqual([...index.search('npm tast').keys()], [records[0]], 'a typo still matches');
		const hit = index.search('app.tsx').get(records[1]);
		assert.ok(hit && hit.summaryRanges.length > 0);
		const [start, end] = hit.summaryRanges[0];
		assert.equal(records[1].summary.slice(start, end + 1), 'app.tsx');
		assert.ok(index.search('abcdef12').has(records[2]), 'by session');
		assert.equal(index.search('   ').size, 0);
	});

	it('forgets events that left the buffer, and rebuilds without losing live ones', () => {
		const index = new SearchIndex();
		const records = Array.from({length: 3000}, (_, i) => record({summary: `Read  file-${i}.ts`}));
		index.add(records);
		index.dropOldest(2500);
		assert.equal(index.size, 500);
		const hits = index.search('file-1');
		assert.ok(hits.size > 0);
		for (const r of hits.keys()) assert.ok(records.indexOf(r) >= 2500);
		const few = searchAmong(records.slice(0, 3), 'file-2');
		assert.ok(few.has(records[2]));
		assert.ok(
			[...few.values()].every((h) => h.score >= few.get(records[2])!.score),
			'the exact match scores best',
		);
	});
});

describe('demo generator', () => {
	it('is deterministic for a seed and different for another', () => {
		assert.deepEqual(takeDemo(42, 50), takeDemo(42, 50));
		assert.notDeepEqual(takeDemo(42, 50), takeDemo(43, 50));
	});

	it('makes realistic sessions that the real normalizer accepts', () => {
		const steps = takeDemo(5, 1500);
		const types = new Set<string>();
		const open = new Map<string, string>();
		const agents = new Map<string, string>();
		const sessions = new Set<string>();
		for (const step of steps) {
			const p = step.payload as Record<string, string>;
			assert.ok(step.delayMs >= 0);
			assert.ok(
				normalize(p, {id: 'x', receivedAt: new Date(now).toISOString(), source: 'demo'}).ok,
				JSON.stringify(p),
			);
			types.add(p.hook_event_name);
			sessions.add(p.session_id);
			if (p.hook_event_name === 'PreToolUse') open.set(p.tool_use_id, p.tool_name);
			if (p.hook_event_name === 'PostToolUse' || p.hook_event_name === 'PostToolUseFailure') {
				assert.equal(open.get(p.tool_use_id), p.tool_name, 'every end pairs with its start');
				open.delete(p.tool_use_id);
			}
			if (p.hook_event_name === 'SubagentStart') agents.set(p.agent_id, 'running');
			if (p.agent_id && p.hook_event_name !== 'SubagentStart')
				assert.equal(agents.get(p.agent_id), 'running', 'subagent events come between start and stop');
			if (p.hook_event_name === 'SubagentStop') agents.set(p.agent_id, 'stopped');
		}
		assert.equal(sessions.size, 2);
		for (const t of [
			'SessionStart',
			'UserPromptSubmit',
			'PreToolUse',
			'PostToolUse',
			'PostToolUseFailure',
			'PermissionRequest',
			'Notification',
			'SubagentStart',
			'SubagentStop',
			'Stop',
		]) {
			assert.ok(types.has(t), `has ${t}`);
		}
		assert.ok(
			steps.some(
				(s) =>
					(s.payload as {agent_id?: string; hook_event_name: string}).agent_id &&
					s.payload.hook_event_name === 'PreToolUse',
			),
			'subagent tools carry agent_id',
		);
		const perSecond = steps.length / (steps.reduce((sum, s) => sum + s.delayMs, 0) / 1000);
		assert.ok(perSecond > 0.5 && perSecond < 20, `a human pace: ${perSecond.toFixed(1)}/s`);
	});

	it('never ends', () => {
		const it = demoSteps(1);
		for (let i = 0; i < 5000; i++) assert.equal(it.next().done, false);
	});
});

describe('replay', () => {
	it('loads records and raw payloads, counts and skips bad lines', async () => {
		const file = path.join(dir, 'rec.ndjson');
		const records = demoRecords(5);
		const raw = takeDemo(3, 1)[0].payload;
		writeFileSync(
			file,
			[
				...records.map((r) => JSON.stringify(r)),
				'not json',
				'{"foo":1}',
				'',
				JSON.stringify(raw),
				'[1,2]',
			].join('\n'),
		);
		const loaded = await loadReplay(file);
		assert.equal(loaded.records.length, 6);
		assert.deepEqual(
			loaded.records.slice(0, 5).map((r) => r.seq),
			records.map((r) => r.seq),
		);
		assert.equal(loaded.bad, 3);
		assert.match(loaded.firstErrors[0], /line 6: not JSON/);
		assert.match(loaded.firstErrors[1], /line 7: /);
	});

	it('says clearly when the file is missing, a directory, or holds no events', async () => {
		await assert.rejects(
			loadReplay(path.join(dir, 'missing.ndjson')),
			(e: Error) => e instanceof ReplayError && /no such file: .*missing\.ndjson/.test(e.message),
		);
		await assert.rejects(loadReplay(dir), /is a directory/);
		const empty = path.join(dir, 'junk.ndjson');
		writeFileSync(empty, 'junk\n');
		await assert.rejects(
			loadReplay(empty),
			/holds no events \(1 bad line; line 1: not JSON \(Unexpected token .*\)\)$/,
		);
	});

	it('plays at the recorded pace times the speed, and pauses', async () => {
		const base = Date.now();
		const records = [0, 200, 400].map((ms, i) =>
			record({summary: `e${i}`, time: new Date(base + ms).toISOString()}),
		);
		const got: string[] = [];
		let done = false;
		const player = playReplay(
			records,
			4,
			(batch) => got.push(...batch.map((r) => r.summary)),
			() => (done = true),
		);
		player.setPaused(true);
		await new Promise((r) => setTimeout(r, 150));
		const whilePaused = got.length;
		assert.ok(whilePaused <= 1, 'paused: nothing more arrives');
		player.setPaused(false);
		const deadline = Date.now() + 3000;
		while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
		assert.ok(done);
		assert.deepEqual(got, ['e0', 'e1', 'e2']);
		player.stop();
	});

	it('raw payloads (no time of their own) are paced evenly and stamped with the clock as played; records and spool lines keep their times', async () => {
		const file = path.join(dir, 'raw.ndjson');
		const raw = (n: number) =>
			JSON.stringify({session_id: 'raw-session', hook_event_name: 'UserPromptSubmit', prompt: `raw ${n}`});
		const recordTime = '2026-11-23T10:00:00.000Z';
		const spoolTime = Date.parse('2026-11-23T10:00:07.000Z');
		const lines = [
			raw(1),
			raw(2),
			raw(3),
			JSON.stringify({
				mpm_spool: 1,
				id: 'sp-1',
				receivedAt: spoolTime,
				event: {session_id: 'raw-session', hook_event_name: 'Stop'},
			}),
			JSON.stringify({...record({seq: 50, id: 'rec-50', summary: 'recorded'}), time: recordTime}),
			raw(4),
		];
		writeFileSync(file, `${lines.join('\n')}\n`);
		const loaded = await loadReplay(file);
		assert.equal(loaded.records.length, 6);

		const speed = 2;
		const arrivals: Array<{summary: string; time: string; at: number}> = [];
		const started = Date.now();
		let done = false;
		const player = playReplay(
			loaded.records,
			speed,
			(batch) => arrivals.push(...batch.map((r) => ({summary: r.summary, time: r.time, at: Date.now()}))),
			() => (done = true),
		);
		const deadline = Date.now() + 10_000;
		while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
		player.stop();
		const finished = Date.now();
		assert.ok(done, 'the replay ends');
		assert.equal(arrivals.length, 6);

		const byText = (text: string) => arrivals.find((a) => a.summary.includes(text))!;
		assert.deepEqual(
			arrivals.map((a) => a.summary.replace(/^prompt +/, '')),
			['"raw 1"', '"raw 2"', '"raw 3"', arrivals[3].summary, 'recorded', '"raw 4"'],
			'in file order',
		);
		assert.equal(arrivals[3].time, new Date(spoolTime).toISOString(), 'a spool line keeps its receivedAt');
		assert.equal(arrivals[4].time, recordTime, 'a record keeps its time');
		for (const n of [1, 2, 3, 4]) {
			const a = byText(`raw ${n}`);
			const stamped = Date.parse(a.time);
			assert.ok(
				stamped >= started && stamped <= finished,
				`raw ${n} stamped ${a.time}, played between ${new Date(started).toISOString()} and ${new Date(finished).toISOString()}`,
			);
			assert.ok(
				Math.abs(stamped - a.at) <= 50,
				`raw ${n} stamped with the time it was played (${a.time} vs ${new Date(a.at).toISOString()})`,
			);
		}
		// Even pacing: every step involving an event without a time is EVEN_GAP_MS / speed (timers never fire early).
		const step = EVEN_GAP_MS / speed;
		for (const i of [1, 2, 3, 5])
			assert.ok(
				arrivals[i].at - arrivals[i - 1].at >= step - 2,
				`step ${i}: ${arrivals[i].at - arrivals[i - 1].at} ms, at least ${step}`,
			);
		// Between two timed events the recorded gap still rules: the record (10:00:00) follows the spool line (10:00:07) at once.
		assert.ok(arrivals[4].at - arrivals[3].at < step, 'two timed events keep their own pace');
	});
});

describe('detail view scrolling', () => {
	it('G pressed before the view has measured its lines still lands at the end once it has', async () => {
		const {initialState} = await import('../source/tui/app/ui-state.js');
		const {reducer} = await import('../source/tui/app/reducer.js');
		const opened = {
			...initialState({rows: 10, width: 80}),
			mode: 'detail' as const,
			detail: {record: record({summary: 'Bash  npm test'}), scroll: 0, lines: 0},
		};
		const afterG = reducer(opened, {type: 'key', input: 'G', key: {}});
		assert.equal(afterG.detail.scroll, 0, 'nothing to scroll yet');
		const measured = reducer(afterG, {type: 'detailLines', lines: 63});
		assert.equal(measured.detail.scroll, 63 - measured.rows, 'at the end once the lines are known');
		assert.equal(measured.detail.pending, undefined);
		const top = reducer(measured, {type: 'key', input: 'g', key: {}});
		assert.equal(top.detail.scroll, 0, 'g goes back to the top');
	});

	it('the help opened from the detail closes back to the detail, at its scroll; from the list, back to the list', async () => {
		const {initialState} = await import('../source/tui/app/ui-state.js');
		const {reducer} = await import('../source/tui/app/reducer.js');
		const detail = {record: record({summary: 'Bash  npm test'}), scroll: 14, lines: 24};
		const reading = {...initialState({rows: 10, width: 80}), mode: 'detail' as const, detail};
		const help = reducer(reading, {type: 'key', input: '?', key: {}});
		assert.equal(help.mode, 'help');
		const scrolled = reducer(help, {type: 'key', input: 'j', key: {}});
		assert.equal(scrolled.mode, 'help', 'j scrolls the help');
		const closed = reducer(scrolled, {type: 'key', input: 'x', key: {}});
		assert.equal(closed.mode, 'detail', 'any other key: back to the detail');
		assert.deepEqual(closed.detail, detail, 'the same record at the same scroll');
		const again = reducer(reducer(closed, {type: 'key', input: '?', key: {}}), {
			type: 'key',
			input: '?',
			key: {},
		});
		assert.equal(again.mode, 'detail', '? closes it too');
		const back = reducer(again, {type: 'key', input: '', key: {escape: true}});
		assert.equal(back.mode, 'list');
		const fromList = reducer(reducer(back, {type: 'key', input: '?', key: {}}), {
			type: 'key',
			input: 'x',
			key: {},
		});
		assert.equal(fromList.mode, 'list', 'from the list, back to the list');
	});
});
