/**
 * Team mode (`--redis`, docs/team.md) with real parts: a real redis-server on a free port
 * (test/helpers/redis-server.ts) and real `mpm-tui --server-only` processes sharing it.
 * Oracles are the events the test sent (each carries its own marker): every marker arrives once,
 * and seqs are 1…N without gaps across instances; nothing is taken from the code under test.
 * Skipped, with the reason, when redis-server is not installed (.ci/run installs it).
 * Needs the build.
 */
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {openConnection} from '../source/client/connection.js';
import {freePort} from './helpers/free-port.js';
import {RedisServer, redisMissing} from './helpers/redis-server.js';
import {
	collectEvents,
	connect,
	connected,
	postJson,
	request,
	spawnCli,
	spawnServer,
	tempDir,
	withTimeout,
} from './helpers/server-kit.js';

const missing = redisMissing();
if (missing) console.log(`# redis-team: skipped: ${missing}`);

type Instance = Awaited<ReturnType<typeof spawnServer>> & {state: string};

const running = new Set<Instance>();
after(async () => {
	for (const instance of running) await instance.kill();
});

/** `mpm-tui --server-only --redis URL` with its own state dir (journal, team state). */
async function instance(
	redisUrl: string,
	state = tempDir(),
	extra: string[] = [],
	env: Record<string, string> = {},
): Promise<Instance> {
	const spawned = await spawnServer({MPM_TUI_STATE_DIR: state, MPM_TUI_TRANSCRIPTS: '0', ...env}, [
		'--redis',
		redisUrl,
		...extra,
	]);
	const out = Object.assign(spawned, {state});
	running.add(out);
	return out;
}

async function stopInstance(server: Instance): Promise<void> {
	await server.kill();
	running.delete(server);
}

let marker = 0;
/** A hook event carrying a marker of its own (`tool_input.command`). */
function event(tag: string): {body: Record<string, unknown>; mark: string} {
	const mark = `${tag}-${++marker}`;
	return {
		body: {hook_event_name: 'PreToolUse', session_id: 'team', tool_name: 'Bash', tool_input: {command: mark}},
		mark,
	};
}

/** POST one marked event with a token; answers its mark. */
async function postMarked(server: Instance, tag: string, token: string): Promise<string> {
	const {body, mark} = event(tag);
	const answer = await postJson(server.url, '/api/events', body, {Authorization: `Bearer ${token}`});
	assert.equal(answer.status, 202, answer.text);
	return mark;
}

/** A TCP load balancer on a free port with one backend at a time; `switchTo` cuts every open connection, as a backend's loss would. */
async function balancer(port: number): Promise<{
	port: number;
	switchTo(next: number): void;
	connectionsTo(backend: number): number;
	close(): void;
}> {
	let backend = port;
	const open = new Set<net.Socket>();
	const counts = new Map<number, number>();
	const server = net.createServer((client) => {
		const target = backend;
		counts.set(target, (counts.get(target) ?? 0) + 1);
		const upstream = net.connect(target, '127.0.0.1');
		open.add(client).add(upstream);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			open.delete(client);
			open.delete(upstream);
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		switchTo(next) {
			backend = next;
			for (const socket of open) socket.destroy();
		},
		connectionsTo: (b) => counts.get(b) ?? 0,
		close() {
			for (const socket of open) socket.destroy();
			server.close();
		},
	};
}

async function post(server: Instance, tag: string): Promise<string> {
	const {body, mark} = event(tag);
	const answer = await postJson(server.url, '/api/events', body);
	assert.equal(answer.status, 202, answer.text);
	return mark;
}

/** Every record of the instance's history (GET /api/events?since=0, followed through `next`). */
async function history(server: Instance): Promise<any[]> {
	const out: any[] = [];
	let since = 0;
	for (;;) {
		const page = await request(`${server.url}/api/events?since=${since}&limit=1000`);
		assert.equal(page.status, 200, page.text);
		out.push(...page.json.events);
		if (!page.json.more) return out;
		since = page.json.next;
	}
}

const markOf = (record: any): string => record.payload.tool_input.command;

async function until<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
	const deadline = Date.now() + ms;
	let last: unknown;
	for (;;) {
		last = await probe();
		if (last !== undefined) return last as T;
		if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Waits until the instance's history holds every mark in `marks`, and answers the history. */
function holds(server: Instance, marks: string[], ms = 15_000): Promise<any[]> {
	return until(
		async () => {
			const records = await history(server);
			const have = new Set(records.map(markOf));
			return marks.every((m) => have.has(m)) ? records : undefined;
		},
		ms,
		`${marks.length} events on ${server.url}`,
	);
}

/** Each mark exactly once, and seqs strictly increasing by one from `first`. */
function assertOnceInOrder(records: any[], marks: string[], first = 1): void {
	const seen = records.map(markOf);
	assert.deepEqual([...seen].sort(), [...marks].sort(), 'every event once, nothing else');
	assert.deepEqual(
		records.map((r) => r.seq),
		records.map((_, i) => first + i),
		'seqs without gaps',
	);
}

async function status(server: Instance): Promise<any> {
	const answer = await request(`${server.url}/api/status`);
	assert.equal(answer.status, 200);
	return answer.json;
}

describe('a team of two instances on one Redis', {skip: missing ?? false}, () => {
	test('an event POSTed to A reaches a Socket.IO client of B; since=0 on B holds A’s; seqs are unique and gap-free', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		const b = await instance(redis.url);
		const client = connect(b.url);
		t.after(() => client.close());
		const events = collectEvents(client);
		await connected(client);

		const marks: string[] = [];
		for (let i = 0; i < 10; i++) marks.push(await post(i % 2 === 0 ? a : b, i % 2 === 0 ? 'a' : 'b'));
		const received = await events.until(marks.length, 10_000);
		assertOnceInOrder(received, marks);
		assert.ok(
			received.some((r) => markOf(r).startsWith('a-')),
			'B’s client got A’s events',
		);

		const onB = await holds(b, marks);
		const onA = await holds(a, marks);
		assertOnceInOrder(onB, marks);
		assert.deepEqual(onA, onB, 'both instances answer the same history');
		const teamA = (await status(a)).team;
		assert.equal(teamA.connected, true);
		assert.equal(teamA.backlog, 0);
		assert.equal(teamA.lastSeq, marks.length);
	});

	test('Redis killed and started again mid-stream: nothing lost, nothing twice', async (t) => {
		const redis = await RedisServer.start({persist: true});
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		const b = await instance(redis.url);
		const marks: string[] = [];
		for (let i = 0; i < 20; i++) marks.push(await post(i % 2 === 0 ? a : b, 'before'));
		await holds(b, marks);
		// Killed (its append-only file has every write: what a Redis with persistence keeps).
		await redis.stop(true);
		// Accepted while Redis is away: in the journals, shipped once it is back.
		for (let i = 0; i < 20; i++) marks.push(await post(i % 2 === 0 ? a : b, 'away'));
		const away = await status(a);
		assert.equal(away.team.connected, false);
		assert.equal(away.team.backlog, 10, 'A’s 10 events wait in its journal');
		assert.ok(
			away.problems.some((p: string) => p.includes('Redis')),
			JSON.stringify(away.problems),
		);
		await redis.restart();
		for (let i = 0; i < 20; i++) marks.push(await post(i % 2 === 0 ? a : b, 'after'));
		assertOnceInOrder(await holds(a, marks, 20_000), marks);
		assertOnceInOrder(await holds(b, marks, 20_000), marks);
	});

	test('a client moved from A to B catches up without gaps', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		const b = await instance(redis.url);
		const marks: string[] = [];
		const onA = connect(a.url);
		const fromA = collectEvents(onA);
		await connected(onA);
		for (let i = 0; i < 6; i++) marks.push(await post(a, 'first'));
		const first = await fromA.until(6, 10_000);
		onA.close();
		const lastSeen = first[first.length - 1].seq;
		// While the client is away, events come in through both instances.
		for (let i = 0; i < 6; i++) marks.push(await post(i % 2 === 0 ? a : b, 'meanwhile'));
		await holds(b, marks);
		const onB = connect(b.url);
		t.after(() => onB.close());
		const live = collectEvents(onB);
		await connected(onB);
		const caughtUp = await withTimeout(
			onB.emitWithAck('history', {since: lastSeen, limit: 1000}),
			5000,
			'the history answer',
		);
		marks.push(await post(a, 'live'));
		const latest = await live.until(1, 10_000);
		assertOnceInOrder([...first, ...caughtUp.events, ...latest], marks);
	});

	test('mpm-tui’s own client behind a load balancer that moves it from A to B catches up without gaps', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		// With a token the Host check is off, as behind any proxy (protocol.md, "Security").
		const env = {MPM_TUI_TOKEN: 'team-token'};
		const a = await instance(redis.url, tempDir(), [], env);
		const b = await instance(redis.url, tempDir(), [], env);
		const proxy = await balancer(a.port);
		t.after(() => proxy.close());
		const got: any[] = [];
		const connection = openConnection(
			{url: `http://127.0.0.1:${proxy.port}`, token: 'team-token', since: 0},
			{onEvents: (events) => got.push(...events), onState: () => {}},
		);
		t.after(() => connection.close());
		const marks: string[] = [];
		for (let i = 0; i < 5; i++) marks.push(await postMarked(a, 'via-a', 'team-token'));
		await until(async () => (got.length >= 5 ? true : undefined), 10_000, 'the first events through A');
		// The balancer now sends this client to B; events keep coming in through both meanwhile.
		proxy.switchTo(b.port);
		for (let i = 0; i < 6; i++) marks.push(await postMarked(i % 2 === 0 ? a : b, 'moving', 'team-token'));
		await until(async () => (got.length >= 11 ? true : undefined), 15_000, 'the client to catch up on B');
		marks.push(await postMarked(a, 'live', 'team-token'));
		await until(async () => (got.length >= 12 ? true : undefined), 10_000, 'a live event through B');
		assertOnceInOrder(got, marks);
		assert.ok(proxy.connectionsTo(b.port) > 0, 'the client did reconnect through the balancer to B');
	});

	test('FLUSHALL, then an instance restarts: no seq is given twice', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const stateA = tempDir();
		let a = await instance(redis.url, stateA);
		const b = await instance(redis.url);
		const before: string[] = [];
		for (let i = 0; i < 8; i++) before.push(await post(i % 2 === 0 ? a : b, 'old'));
		const old = await holds(a, before);
		await holds(b, before);
		assert.equal(await redis.command('FLUSHALL'), '+OK');
		await stopInstance(a);
		a = await instance(redis.url, stateA);
		const later: string[] = [];
		for (let i = 0; i < 8; i++) later.push(await post(i % 2 === 0 ? a : b, 'new'));
		const onB = await holds(b, [...before, ...later]);
		const onA = await holds(a, later);
		const oldSeqs = new Set(old.map((r) => r.seq));
		const newOnB = onB.filter((r) => later.includes(markOf(r)));
		const newOnA = onA.filter((r) => later.includes(markOf(r)));
		assert.ok(
			newOnB.every((r) => !oldSeqs.has(r.seq)),
			`new seqs ${newOnB.map((r) => r.seq).join(',')} reuse none of ${[...oldSeqs].join(',')}`,
		);
		assert.deepEqual(
			newOnA.map((r) => [r.seq, markOf(r)]),
			newOnB.map((r) => [r.seq, markOf(r)]),
			'both instances give each new event the same seq',
		);
		assert.equal(new Set(newOnB.map((r) => r.seq)).size, later.length, 'new seqs are unique');
		assertOnceInOrder(onB, [...before, ...later]);
	});

	test('an instance that ran alone before joins the team without shipping its past', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const state = tempDir();
		const alone = await spawnServer({MPM_TUI_STATE_DIR: state, MPM_TUI_TRANSCRIPTS: '0'});
		for (let i = 0; i < 3; i++) {
			const answer = await postJson(alone.url, '/api/events', event('alone').body);
			assert.equal(answer.status, 202);
		}
		await alone.kill();
		const a = await instance(redis.url, state);
		const b = await instance(redis.url);
		const marks = [await post(a, 'joined')];
		assertOnceInOrder(await holds(b, marks), marks);
		assertOnceInOrder(await holds(a, marks), marks);
		assert.equal((await status(a)).team.backlog, 0);
	});

	test('while Redis is away, events wait in the journal, not in memory', async (t) => {
		const redis = await RedisServer.start({persist: true});
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		const b = await instance(redis.url);
		await redis.stop();
		const before = await status(a);
		const marks: string[] = [];
		// 40 NDJSON bodies of 100 events: 4000 events while Redis is away.
		for (let body = 0; body < 40; body++) {
			const lines: string[] = [];
			for (let i = 0; i < 100; i++) {
				const e = event('down');
				marks.push(e.mark);
				lines.push(JSON.stringify(e.body));
			}
			const answer = await request(`${a.url}/api/events`, {
				method: 'POST',
				headers: {'Content-Type': 'application/x-ndjson'},
				body: `${lines.join('\n')}\n`,
			});
			assert.equal(answer.status, 202, answer.text);
		}
		const down = await status(a);
		assert.equal(down.team.backlog, marks.length, 'every event is counted as waiting');
		assert.equal(down.buffer.used, before.buffer.used, 'the history holds none of them yet');
		const journal = fs.readFileSync(path.join(a.state, 'journal.ndjson'), 'utf8');
		assert.equal(journal.split('\n').filter(Boolean).length, marks.length, 'the journal holds them all');
		await redis.restart();
		assertOnceInOrder(await holds(b, marks, 30_000), marks);
		assert.equal((await status(a)).team.backlog, 0);
	});
});

describe('team mode: what the stream holds is checked', {skip: missing ?? false}, () => {
	test('entries written by anything else are held to the journal’s rules: whole records only, one line each, no raw terminal controls', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		const rest = (payload: string) =>
			`"id":"x","time":"2026-12-01T00:00:00.000Z","received":"2026-12-01T00:00:00.000Z","session":null,"type":"Stop","tool":null,"toolUseId":null,"agentId":null,"agentType":null,"cwd":null,"summary":"s","source":"hook","payload":${payload}}`;
		const add = (seq: number, r: string) =>
			redis.command('XADD', 'mpm-tui:events', '*', 's', String(seq), 'r', r);
		await add(1, rest('{"text":"\u009b31m \u202e"}'));
		await add(2, rest('{"not":"closed"'));
		await add(3, rest(`${'['.repeat(200)}${']'.repeat(200)}`));
		await add(4, rest('\n{"text":"ok"}'));
		await add(5, rest('{"text":"\u001b[2J"}'));
		const page = await until(
			async () => {
				const answer = await request(`${a.url}/api/events?since=0&format=ndjson`);
				return answer.text.split('\n').filter(Boolean).length >= 2 && (await status(a)).team.invalid === 3
					? answer
					: undefined;
			},
			10_000,
			'the stream’s entries read',
		);
		const lines = page.text.split('\n').filter(Boolean);
		assert.deepEqual(
			lines.map((l) => JSON.parse(l).seq),
			[1, 4],
		);
		assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(page.text), JSON.stringify(page.text));
		assert.deepEqual(JSON.parse(lines[0]).payload, {text: '\u009b31m \u202e'});
		assert.deepEqual(JSON.parse(lines[1]).payload, {text: 'ok'});
	});
});

describe('team mode: a Redis that refuses', {skip: missing ?? false}, () => {
	test('a command Redis refuses (a key of the wrong type) is told in /health, and the events wait in the journal until it takes them', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		assert.equal(await redis.command('SET', 'mpm-tui:events', 'not a stream'), '+OK');
		const a = await instance(redis.url);
		const marks = [await post(a, 'refused'), await post(a, 'refused')];
		const health = await until(
			async () => {
				const answer = await request(`${a.url}/health`);
				return answer.json.status === 'degraded' ? answer.json : undefined;
			},
			10_000,
			'/health to say degraded',
		);
		assert.match(health.problems.join(' '), /refuses a command \(WRONGTYPE/);
		assert.equal((await status(a)).team.backlog, 2);
		assert.equal(await redis.command('DEL', 'mpm-tui:events'), ':1');
		assertOnceInOrder(await holds(a, marks), marks);
		const after = await until(
			async () => {
				const answer = await request(`${a.url}/health`);
				return answer.json.status === 'ok' ? answer.json : undefined;
			},
			10_000,
			'/health to say ok',
		);
		assert.equal(after.problems, undefined);
	});
});

describe('team mode: tokens, secrets and refusals', {skip: missing ?? false}, () => {
	test('an instance bound beyond loopback with a token refuses a wrong token; without one it does not start', async (t) => {
		const redis = await RedisServer.start();
		t.after(() => redis.stop());
		const a = await instance(redis.url, tempDir(), ['--host', '0.0.0.0', '--token', 'team-secret']);
		const {body} = event('token');
		const wrong = await postJson(a.url, '/api/events', body, {Authorization: 'Bearer not-it'});
		assert.equal(wrong.status, 401, wrong.text);
		const right = await postJson(a.url, '/api/events', body, {Authorization: 'Bearer team-secret'});
		assert.equal(right.status, 202, right.text);
		const socket = connect(a.url, {client: 'mpm-tui', token: 'not-it'});
		t.after(() => socket.close());
		await assert.rejects(connected(socket), 'a Socket.IO client with a wrong token is refused');

		const open = spawnCli(['--server-only', '--port', '0', '--host', '0.0.0.0', '--redis', redis.url], {
			MPM_TUI_STATE_DIR: tempDir(),
		});
		const exit = await withTimeout(open.exited, 8000, 'the refusal');
		assert.equal(exit.code, 2, open.stderr());
		assert.match(open.stderr(), /without a token/);
	});

	test('the password in the Redis URL is never written out; a bad URL is refused with the reason', async (t) => {
		const redis = await RedisServer.start({password: 'pw-never-shown'});
		t.after(() => redis.stop());
		const a = await instance(redis.url);
		await post(a, 'secret');
		const answer = await request(`${a.url}/api/status`);
		assert.ok(answer.text.includes('redis://:***@127.0.0.1'), answer.text);
		await until(async () => ((await status(a)).team.backlog === 0 ? true : undefined), 10_000, 'the ship');
		await stopInstance(a);
		const written = a.stderr() + a.stdout() + answer.text;
		assert.ok(!written.includes('pw-never-shown'), written);

		for (const [url, reason] of [
			['http://127.0.0.1:6379', /redis:\/\/ or rediss:\/\//],
			['redis://127.0.0.1:6379/abc', /database number/],
			['not a url', /must be a URL/],
		] as const) {
			const bad = spawnCli(['--server-only', '--port', '0', '--redis', url], {MPM_TUI_STATE_DIR: tempDir()});
			const exit = await withTimeout(bad.exited, 8000, 'the refusal');
			assert.equal(exit.code, 2, bad.stderr());
			assert.match(bad.stderr(), reason);
		}
		const noJournal = spawnCli(['--server-only', '--port', '0', '--no-journal', '--redis', redis.url], {
			MPM_TUI_STATE_DIR: tempDir(),
		});
		assert.equal((await withTimeout(noJournal.exited, 8000, 'the refusal')).code, 2);
		assert.match(noJournal.stderr(), /needs the journal/);
	});
	test('server start --redis: the daemon joins the team, the URL reaches it by environment, not on its command line', async (t) => {
		const redis = await RedisServer.start({password: 'pw-daemon'});
		t.after(() => redis.stop());
		const state = tempDir();
		const port = await freePort();
		const env = {MPM_TUI_STATE_DIR: state, MPM_TUI_TRANSCRIPTS: '0'};
		const start = spawnCli(['server', 'start', '--port', String(port), '--redis', redis.url], env);
		const started = await withTimeout(start.exited, 20_000, 'server start');
		assert.equal(started.code, 0, start.stderr());
		t.after(async () => {
			await withTimeout(spawnCli(['server', 'stop'], env).exited, 20_000, 'server stop');
		});
		const url = `http://127.0.0.1:${port}`;
		const team = await until(
			async () => {
				const answer = await request(`${url}/api/status`);
				return answer.json?.team?.connected ? answer.json.team : undefined;
			},
			10_000,
			'the daemon to reach Redis',
		);
		assert.equal(team.redis, `redis://:***@127.0.0.1:${redis.port}`);
		const pid = (await request(`${url}/health`)).json.pid as number;
		const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		assert.ok(!argv.includes('pw-daemon') && !argv.includes('redis://'), argv);
		const shown = spawnCli(['server', 'status'], env);
		assert.equal((await withTimeout(shown.exited, 10_000, 'server status')).code, 0, shown.stderr());
		assert.match(
			shown.stdout(),
			new RegExp(`team redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} connected`),
		);
		assert.ok(!shown.stdout().includes('pw-daemon'), shown.stdout());
	});
});
