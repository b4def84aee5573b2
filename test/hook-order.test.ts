/**
 * Cause before effect, end to end: the built forwarders, run back to back the way Claude Code runs
 * a session's hooks (each process waited for before the next starts, no pause), against the real
 * server; the seqs the server gave must follow the order the hooks ran. The oracle is the order
 * this test ran them in. Needs the build (dist/hook/*).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {resolveConfig} from '../source/config.js';
import {startServer} from '../source/server/server.js';
import fs from 'node:fs';
import {startCaptureServer} from './helpers/capture-server.js';
import {freePort} from './helpers/free-port.js';
import {
	baseEnv,
	eventually,
	readLines,
	runForwarder,
	sleep,
	tempDir,
	variants,
	type Variant,
} from './helpers/forwarder.js';
import {spawnServer} from './helpers/server-kit.js';

const SESSION = '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b';

/** A Pre→Post pair of a Grep call, as Claude Code sends them. */
function pair(i: number): Array<Record<string, unknown>> {
	const common = {
		session_id: SESSION,
		transcript_path: `/home/u/.claude/projects/-home-u-app/${SESSION}.jsonl`,
		cwd: '/home/u/app',
		permission_mode: 'default',
		tool_name: 'Grep',
		tool_input: {pattern: `needle${i}`, path: '/home/u/app/source'},
		tool_use_id: `toolu_order_${i}`,
	};
	return [
		{...common, hook_event_name: 'PreToolUse'},
		{
			...common,
			hook_event_name: 'PostToolUse',
			tool_response: {mode: 'files_with_matches', filenames: [`/home/u/app/source/f${i}.ts`], numFiles: 1},
			duration_ms: 12,
		},
	];
}

/** A subagent's life: its start, one tool call of its own, its stop. */
function agentLife(i: number): Array<Record<string, unknown>> {
	const base = {session_id: SESSION, cwd: '/home/u/app', agent_id: `agent_${i}`, agent_type: 'Explore'};
	const call = {
		...base,
		tool_name: 'Read',
		tool_input: {file_path: `/home/u/app/f${i}.ts`},
		tool_use_id: `toolu_agent_${i}`,
	};
	return [
		{...base, hook_event_name: 'SubagentStart'},
		{...call, hook_event_name: 'PreToolUse'},
		{...call, hook_event_name: 'PostToolUse', tool_response: {type: 'text'}},
		{...base, hook_event_name: 'SubagentStop', last_assistant_message: 'done'},
	];
}

/** What identifies an event in the order the test sent it. */
const keyOf = (event: Record<string, unknown>): string =>
	`${String(event.hook_event_name)}:${String(event.tool_use_id ?? event.agent_id)}`;

/** Runs every event through its own forwarder process, one after another; returns the keys in that order. */
async function runBackToBack(
	variant: Variant,
	env: Record<string, string>,
	events: Array<Record<string, unknown>>,
): Promise<string[]> {
	const sent: string[] = [];
	for (const event of events) {
		const result = await runForwarder(variant, {env, input: JSON.stringify(event)});
		assert.equal(result.code, 0);
		assert.equal(result.stdout, '');
		sent.push(keyOf(event));
	}
	return sent;
}

/** Every record the server holds, in seq order, read over HTTP. */
async function history(
	url: string,
): Promise<Array<{seq: number; id: string; payload: Record<string, unknown>}>> {
	const out: Array<{seq: number; id: string; payload: Record<string, unknown>}> = [];
	for (let since = 0; ;) {
		const page = (await (await fetch(`${url}/api/events?since=${since}&limit=10000`)).json()) as {
			events: typeof out;
			next: number;
			more: boolean;
		};
		out.push(...page.events);
		if (!page.more) return out;
		since = page.next;
	}
}

/** Positions, in sent order, of the events as the server ordered them; and how many came before one sent earlier. */
function compare(
	sent: string[],
	records: Array<{payload: Record<string, unknown>}>,
): {order: string[]; outOfOrder: string[]} {
	const order = records.map((record) => keyOf(record.payload));
	const position = new Map(sent.map((key, i) => [key, i]));
	const outOfOrder: string[] = [];
	let latest = -1;
	for (const key of order) {
		const at = position.get(key) ?? -1;
		if (at < latest) outOfOrder.push(`${key} (sent #${at}) after #${latest}`);
		latest = Math.max(latest, at);
	}
	return {order, outOfOrder};
}

async function serverFor(label: string, t: {after(fn: () => unknown): void}) {
	const temp = tempDir(`order-${label}`);
	t.after(temp.cleanup);
	const env = {MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), HOME: temp.dir};
	const config = resolveConfig({port: await freePort(), journal: false}, env, temp.dir);
	return {temp, env, config};
}

const variant = (name: Variant['name']): Variant | undefined => variants.find((v) => v.name === name);

describe('cause before effect: seqs follow the order the hooks ran', () => {
	test('sh forwarder (the installed default): 1,000 back-to-back Pre→Post pairs with no pause → all 2,000 in hook order', async (t) => {
		const {env, config} = await serverFor('sh', t);
		const server = await startServer(config);
		t.after(() => server.close());
		const events = Array.from({length: 1000}, (_, i) => pair(i)).flat();
		const started = Date.now();
		const sent = await runBackToBack(
			variant('sh')!,
			baseEnv({...env, MPM_TUI_PORT: String(server.port)}),
			events,
		);
		const elapsed = Date.now() - started;
		await eventually(
			() => (server.stats().events.total >= events.length ? true : undefined),
			15_000,
			`${events.length} events at the server`,
		);
		const records = await history(server.url);
		assert.equal(records.length, events.length, 'every event once');
		assert.equal(new Set(records.map((r) => r.id)).size, events.length, 'no id twice');
		const {order, outOfOrder} = compare(sent, records);
		const order_ = server.stats().order!;
		t.diagnostic(
			`2,000 hooks in ${elapsed} ms; held ${order_.held} (longest ${order_.longestMs} ms), timed out ${order_.timedOut}, overflow ${order_.overflow}`,
		);
		assert.deepEqual(outOfOrder, [], `${outOfOrder.length} event(s) out of order`);
		assert.deepEqual(order, sent);
	});

	const bash = variant('bash');
	test(
		'the same script under bash: 100 subagent lives (SubagentStart → Pre → Post → SubagentStop) back to back → in hook order',
		{skip: bash ? false : 'no bash on PATH'},
		async (t) => {
			const {env, config} = await serverFor('bash', t);
			const server = await startServer(config);
			t.after(() => server.close());
			const events = Array.from({length: 100}, (_, i) => agentLife(i)).flat();
			const sent = await runBackToBack(bash!, baseEnv({...env, MPM_TUI_PORT: String(server.port)}), events);
			await eventually(
				() => (server.stats().events.total >= events.length ? true : undefined),
				15_000,
				`${events.length} events at the server`,
			);
			const {order, outOfOrder} = compare(sent, await history(server.url));
			t.diagnostic(`held ${server.stats().order!.held}, timed out ${server.stats().order!.timedOut}`);
			assert.deepEqual(outOfOrder, []);
			assert.deepEqual(order, sent);
		},
	);

	for (const name of ['node', 'node-fast'] as const) {
		test(`${name} forwarder (POSTs before it exits): 100 back-to-back Pre→Post pairs → in hook order`, async (t) => {
			const {env, config} = await serverFor(name, t);
			const server = await startServer(config);
			t.after(() => server.close());
			const events = Array.from({length: 100}, (_, i) => pair(i)).flat();
			const sent = await runBackToBack(
				variant(name)!,
				baseEnv({...env, MPM_TUI_PORT: String(server.port)}),
				events,
			);
			// The Node forwarder has its answer before it exits: every event is in already.
			assert.equal(server.stats().events.total, events.length);
			const {order, outOfOrder} = compare(sent, await history(server.url));
			assert.deepEqual(outOfOrder, []);
			assert.deepEqual(order, sent);
			assert.equal(server.stats().order!.held, 0, 'nothing to wait for');
		});
	}

	test('server down: 150 back-to-back pairs spooled by the sh forwarder are drained in hook order', async (t) => {
		const {env, config} = await serverFor('spool', t);
		const forwarderEnv = baseEnv({...env, MPM_TUI_PORT: String(config.port)});
		const events = Array.from({length: 150}, (_, i) => pair(i)).flat();
		const sent = await runBackToBack(variant('sh')!, forwarderEnv, events);
		const lines = await eventually(
			() => (readLines(config.spool).length === events.length ? readLines(config.spool) : undefined),
			10_000,
			`${events.length} spool lines`,
		);
		const spoolOrder = compare(
			sent,
			lines.map((line) => ({payload: (JSON.parse(line) as {event: Record<string, unknown>}).event})),
		);
		// The background parts append as they finish: the file itself may be out of order.
		t.diagnostic(`spool lines out of place: ${spoolOrder.outOfOrder.length}`);
		const server = await startServer(config);
		t.after(() => server.close());
		await eventually(
			() => (server.stats().events.total >= events.length ? true : undefined),
			10_000,
			'the drained events',
		);
		const {order, outOfOrder} = compare(sent, await history(server.url));
		assert.deepEqual(outOfOrder, []);
		assert.deepEqual(order, sent);
	});

	test('sh forwarder: a hook that runs once the one before has been delivered names nothing in X-Mpm-After (nothing for the server to wait for)', async (t) => {
		const temp = tempDir('order-spaced');
		t.after(temp.cleanup);
		const capture = await startCaptureServer();
		t.after(() => capture.close());
		const stateDir = path.join(temp.dir, 'state');
		const env = baseEnv({MPM_TUI_STATE_DIR: stateDir, HOME: temp.dir, MPM_TUI_PORT: String(capture.port)});
		const copies = () =>
			fs.existsSync(stateDir) ? fs.readdirSync(stateDir).filter((name) => name.includes('.in-')) : [];
		const events = Array.from({length: 10}, (_, i) => pair(i)).flat();
		for (const [i, event] of events.entries()) {
			assert.equal((await runForwarder(variant('sh')!, {env, input: JSON.stringify(event)})).code, 0);
			// Delivered: at the server, and its copy of stdin gone.
			await eventually(
				() => (capture.requests.length === i + 1 && copies().length === 0 ? true : undefined),
				5000,
				`event ${i} delivered`,
			);
		}
		assert.deepEqual(
			capture.requests.map((r) => r.headers['x-mpm-after']),
			events.map(() => undefined),
		);
		// Back to back, the same forwarder does name the ones still on their way (so the check above can fail).
		const before = capture.requests.length;
		await runBackToBack(variant('sh')!, env, events);
		await eventually(
			() => (capture.requests.length === before + events.length ? true : undefined),
			5000,
			'the back-to-back events',
		);
		const named = capture.requests.slice(before).filter((r) => r.headers['x-mpm-after'] !== undefined).length;
		t.diagnostic(`back to back: ${named} of ${events.length} named an earlier event`);
		assert.ok(named > 0);
	});

	test('slow server (stopped for a while, then resumed): the sh forwarder spools what timed out; every event arrives once, in hook order', async (t) => {
		const temp = tempDir('order-slow');
		t.after(temp.cleanup);
		const stateDir = path.join(temp.dir, 'state');
		const server = await spawnServer({MPM_TUI_STATE_DIR: stateDir, HOME: temp.dir});
		t.after(() => {
			server.child.kill('SIGCONT');
			return server.kill();
		});
		const env = baseEnv({MPM_TUI_STATE_DIR: stateDir, HOME: temp.dir, MPM_TUI_PORT: String(server.port)});
		const events = Array.from({length: 60}, (_, i) => pair(i)).flat();
		const sent: string[] = [];
		for (const [i, event] of events.entries()) {
			// Events 40 to 79 run while the server answers nothing (its process is stopped).
			if (i === 40) server.child.kill('SIGSTOP');
			const result = await runForwarder(variant('sh')!, {env, input: JSON.stringify(event)});
			assert.equal(result.code, 0);
			sent.push(keyOf(event));
			if (i === 79) {
				// The last forwarders' POSTs have timed out (300 ms) and their events are spooled.
				await sleep(600);
				server.child.kill('SIGCONT');
			}
		}
		let got: Awaited<ReturnType<typeof history>> = [];
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			got = await history(server.url);
			// Every event in, and nothing left to drain (the spool, a taken part of it, a copy of stdin).
			if (
				got.length >= events.length &&
				!fs
					.readdirSync(stateDir)
					.some((name) => name === 'spool.ndjson' || name.includes('draining') || name.includes('.in-'))
			)
				break;
			await sleep(200);
		}
		assert.equal(got.length, events.length, 'every event once');
		assert.equal(new Set(got.map((r) => r.id)).size, events.length, 'no id twice');
		const stats = (await (await fetch(`${server.url}/api/status`)).json()) as {
			order: Record<string, number>;
			spool: {drained: number};
		};
		const {order, outOfOrder} = compare(sent, got);
		t.diagnostic(
			`held ${stats.order.held} (longest ${stats.order.longestMs} ms), timed out ${stats.order.timedOut}, overflow ${stats.order.overflow}; drained from the spool ${stats.spool.drained}`,
		);
		assert.deepEqual(outOfOrder, []);
		assert.deepEqual(order, sent);
	});
});
