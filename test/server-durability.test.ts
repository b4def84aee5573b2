/**
 * Faults the server must survive and tell the truth about: a full disk (a real tmpfs), a journal
 * rotation that fails, two servers on one state dir, a reader of stdout that cannot keep up.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {io} from 'socket.io-client';
import {openConnection} from '../source/client/connection.js';
import {startServer} from '../source/server/server.js';
import {mountTmpfs} from './helpers/tmpfs.js';
import {
	collectEvents,
	connect,
	connected,
	hookEvent,
	postJson,
	request,
	spawnCli,
	spawnServer,
	tempDir,
	testConfig,
} from './helpers/server-kit.js';

function journalRecords(file: string): any[] {
	const text = fs.readFileSync(file, 'utf8');
	assert.ok(text === '' || text.endsWith('\n'), 'the journal ends with a whole line');
	return text
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line));
}

function assertConsecutive(seqs: number[], what: string): void {
	for (let i = 1; i < seqs.length; i++)
		assert.equal(seqs[i], seqs[i - 1] + 1, `${what}: seq ${seqs[i]} after ${seqs[i - 1]}`);
}

const padded = (i: number) =>
	hookEvent({prompt: `event ${i} ${'p'.repeat(1500)}`, hook_event_name: 'UserPromptSubmit'});

describe('a full disk', () => {
	test('is answered 507 (never 202), the journal stays whole, nothing half-committed, seqs never reused across a restart', async (t) => {
		const fsys = mountTmpfs(2 * 1024 * 1024);
		if ('skip' in fsys) return t.skip(fsys.skip);
		const stateDir = path.join(fsys.dir, 'state');
		fs.mkdirSync(stateDir, {mode: 0o700});
		const env = {MPM_TUI_STATE_DIR: stateDir};
		const journal = path.join(stateDir, 'journal.ndjson');
		let server = await spawnServer(env);
		try {
			const status = new Map<string, number>();
			const bodies = new Map<string, unknown>();
			let fullAnswer: any;
			for (let i = 0; i < 1200; i++) {
				const id = `disk-${i}`;
				bodies.set(id, padded(i));
				const r = await postJson(server.url, '/api/events', bodies.get(id), {'X-Mpm-Id': id});
				status.set(id, r.status);
				if (r.status === 507) fullAnswer ??= r.json;
			}
			const counts = new Map<number, number>();
			for (const s of status.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
			assert.deepEqual(
				[...counts.keys()].sort(),
				[202, 507],
				`only 202 and 507: ${JSON.stringify([...counts])}`,
			);
			assert.match(fullAnswer.error, /ENOSPC|no space/i, 'the refusal says why');
			assert.equal(fullAnswer.code, 'ENOSPC');

			// A connected mpm-tui client (what the TUI's header shows) hears of it in `status`.
			const problems = await new Promise<string[]>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no status with problems within 4 s')), 4000);
				const connection = openConnection(
					{url: server.url},
					{
						onEvents: () => {},
						onState: () => {},
						onStatus: (status) => {
							if (status.problems.length === 0) return;
							clearTimeout(timer);
							connection.close();
							resolve(status.problems);
						},
					},
				);
			});
			assert.match(problems[0], /^journal cannot write \(ENOSPC\): /);
			const health = await request(`${server.url}/health`);
			assert.equal(health.json.status, 'degraded');
			assert.match(health.json.problems.join(' '), /journal cannot write \(ENOSPC\)/);
			const stats = (await request(`${server.url}/api/status`)).json;
			assert.match(stats.journal.error, /ENOSPC/);
			assert.equal(stats.refused, counts.get(507));

			// What was answered 202 is in the journal exactly once, whole, in consecutive seqs; nothing else is.
			let records = journalRecords(journal);
			const accepted = [...status].filter(([, s]) => s === 202).map(([id]) => id);
			assert.deepEqual(records.map((r) => r.id).sort(), accepted.sort());
			assertConsecutive(
				records.map((r) => r.seq),
				'journal while full',
			);
			const history = (await request(`${server.url}/api/events?since=0&limit=10000`)).json.events;
			assert.deepEqual(
				history.map((r: any) => r.id),
				records.map((r) => r.id),
				'history holds exactly what was journaled',
			);

			// Space again: the refused events, sent again with their ids (as a forwarder's spool would), are taken — not duplicates.
			fsys.resize(8 * 1024 * 1024);
			for (const [id, s] of status) {
				if (s !== 507) continue;
				const r = await postJson(server.url, '/api/events', bodies.get(id), {'X-Mpm-Id': id});
				assert.equal(r.status, 202, `${id} after space was freed`);
				assert.equal(r.json.accepted, 1, `${id} was never half-taken`);
			}
			assert.equal((await request(`${server.url}/health`)).json.status, 'ok');
			records = journalRecords(journal);
			assert.equal(records.length, 1200);
			assert.equal(new Set(records.map((r) => r.id)).size, 1200);
			assertConsecutive(
				records.map((r) => r.seq),
				'journal after recovery',
			);
			const lastSeq = records.at(-1).seq;

			// Restart on a disk that is full again: refused, and seqs go on from the last one given.
			fsys.resize(10 * 1024 * 1024);
			fsys.fill();
			await server.kill();
			server = await spawnServer(env);
			const refused = await postJson(server.url, '/api/events', padded(5000), {'X-Mpm-Id': 'after-restart'});
			assert.equal(refused.status, 507);
			fsys.unfill();
			const taken = await postJson(server.url, '/api/events', padded(5000), {'X-Mpm-Id': 'after-restart'});
			assert.equal(taken.status, 202);
			assert.equal(taken.json.lastSeq, lastSeq + 1, 'numbering goes on after the last seq given');
			records = journalRecords(journal);
			assert.equal(new Set(records.map((r) => r.seq)).size, records.length, 'no seq twice');
		} finally {
			await server.kill();
			fsys.unmount();
		}
	});
});

describe('journal rotation that fails', () => {
	test('keeps appending to the file it has, says so, and never writes through a closed descriptor', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		// Rotation fails at its first rename: .1 and .2 are directories that are not empty.
		for (const old of [`${config.journal}.1`, `${config.journal}.2`]) {
			fs.mkdirSync(old);
			fs.writeFileSync(path.join(old, 'keep'), '');
		}
		const logs: string[] = [];
		const server = await startServer(config, {journalMaxBytes: 4096, log: (line) => logs.push(line)});
		const socket = connect(server.url);
		const got = collectEvents(socket);
		try {
			await connected(socket);
			for (let i = 0; i < 40; i++)
				assert.equal((await postJson(server.url, '/api/events', padded(i))).status, 202);
			// New connections after the failed rotation reuse descriptor numbers: none may see journal text.
			const late = io(server.url, {
				auth: {client: 'mpm-tui'},
				transports: ['polling'],
				reconnection: false,
				forceNew: true,
			});
			const lateGot = collectEvents(late);
			await connected(late);
			for (let i = 40; i < 50; i++)
				assert.equal((await postJson(server.url, '/api/events', padded(i))).status, 202);
			await got.until(50);
			await lateGot.until(10);
			assert.ok(got.records.every((r) => typeof r.seq === 'number'));
			assert.ok(lateGot.records.every((r) => typeof r.seq === 'number'));
			late.close();
			const stats = server.stats();
			assert.match(
				stats.journal.rotationError ?? '',
				/could not rotate \(ENOTEMPTY.*\); still appending to the current file/,
			);
			assert.ok(stats.problems.some((p) => /could not rotate/.test(p)));
			assert.ok(
				logs.some((line) => /could not rotate/.test(line)),
				'told in the log',
			);
			const records = journalRecords(config.journal!);
			assert.deepEqual(
				records.map((r) => r.seq),
				Array.from({length: 50}, (_, i) => i + 1),
				'every event in the current file, in order',
			);
		} finally {
			socket.close();
			await server.close();
		}
	});
});

describe('one server per state dir', () => {
	test("a second server on the same state dir exits 1 naming the first one's pid and address", async () => {
		const dir = tempDir();
		const first = await spawnServer({MPM_TUI_STATE_DIR: dir});
		try {
			const second = spawnCli(['--server-only', '--port', '0'], {MPM_TUI_STATE_DIR: dir});
			const {code} = await second.exited;
			assert.equal(code, 1);
			assert.match(
				second.stderr(),
				new RegExp(
					`another mpm-tui server \\(pid ${first.child.pid}, listening on ${first.url.replace(/\./g, '\\.')}\\) is using the state dir`,
				),
			);
			assert.equal(
				(await postJson(first.url, '/api/events', hookEvent())).status,
				202,
				'the first one is unharmed',
			);
		} finally {
			await first.kill();
		}
	});

	test("servers started at the same moment on one state dir: exactly one runs; a killed one's lock is taken over", async () => {
		const dir = tempDir();
		const env = {MPM_TUI_STATE_DIR: dir};
		const starts = Array.from({length: 4}, () => spawnCli(['--server-only', '--port', '0'], env));
		await new Promise((resolve) => setTimeout(resolve, 300));
		const outcomes = await Promise.all(
			starts.map(async (s) => {
				try {
					await s.waitFor(
						(_, err) => /^mpm-tui: listening on/m.test(err) || /another mpm-tui server/.test(err),
						'a start or a refusal',
						10_000,
					);
				} catch {
					// Judged below from stderr.
				}
				return /^mpm-tui: listening on/m.test(s.stderr()) ? 'running' : 'refused';
			}),
		);
		assert.equal(outcomes.filter((o) => o === 'running').length, 1, `outcomes: ${outcomes.join(', ')}`);
		const runner = starts[outcomes.indexOf('running')];
		runner.child.kill('SIGKILL');
		await runner.exited;
		for (const s of starts) await s.kill();
		// The dead server's lock is stale: a new one takes over.
		const next = await spawnServer(env);
		assert.equal((await postJson(next.url, '/api/events', hookEvent())).status, 202);
		await next.kill();
		assert.ok(!fs.existsSync(path.join(dir, 'server.lock')), 'a clean stop removes the lock');
	});

	test('a state dir other users can write to is refused with one clear line', async () => {
		const dir = tempDir();
		fs.chmodSync(dir, 0o777);
		const server = spawnCli(['--server-only', '--port', '0'], {MPM_TUI_STATE_DIR: dir});
		const {code} = await server.exited;
		assert.equal(code, 1);
		assert.match(
			server.stderr(),
			/the state dir .* is writable by everyone \(mode 0777\): others could plant files in it; chmod 700 it/,
		);
		assert.equal(server.stderr().trim().split('\n').length, 1);
	});
});

describe('a slow reader of --server-only stdout', () => {
	test('gets every event or an in-stream marker of exactly how many are missing where, counted in /api/status', async () => {
		const dir = tempDir();
		const server = await spawnServer({MPM_TUI_STATE_DIR: dir});
		try {
			// Stop reading stdout while 45 events of ~900 KB arrive (more than the 32 MB the writer keeps).
			server.child.stdout!.pause();
			const big = (i: number) => ({
				hook_event_name: 'PostToolUse',
				session_id: 's',
				tool_name: 'Read',
				tool_use_id: `big-${i}`,
				tool_response: Object.fromEntries(
					Array.from({length: 56}, (_, k) => [`part${k}`, `${i}-${k}-`.padEnd(16_000, 'x')]),
				),
			});
			for (let i = 0; i < 45; i++)
				assert.equal((await postJson(server.url, '/api/events', big(i))).status, 202);
			const stats = (await request(`${server.url}/api/status`)).json;
			server.child.stdout!.resume();
			await server.kill();
			const lines = server
				.stdout()
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => JSON.parse(line));
			const markers = lines.filter((l) => l.mpm_tui === 'dropped');
			const events = lines.filter((l) => l.mpm_tui === undefined);
			const missing = markers.reduce((n, m) => n + m.count, 0);
			assert.ok(missing > 0, 'the reader was slow enough to lose some');
			assert.equal(events.length + missing, 45, 'events written + marked missing = events accepted');
			assert.equal(stats.stdout.dropped, missing, '/api/status counts them');
			// Each marker stands where its gap is: the seqs around it differ by count + 1.
			for (let i = 0; i < lines.length; i++) {
				if (lines[i].mpm_tui !== 'dropped') continue;
				const before =
					lines
						.slice(0, i)
						.reverse()
						.find((l) => l.seq !== undefined)?.seq ?? 0;
				const after = lines.slice(i + 1).find((l) => l.seq !== undefined)?.seq ?? 46;
				assert.equal(after - before - 1, lines[i].count, `marker ${i}`);
			}
		} finally {
			await server.kill();
		}
	});
});

describe('kill -9 under load', () => {
	test('every event answered 2xx before a SIGKILL is there after the restart, once; seqs never repeat (3 kills, 8 posters)', async () => {
		const dir = tempDir();
		const env = {MPM_TUI_STATE_DIR: dir};
		const answered = new Set<string>();
		let n = 0;
		for (let round = 0; round < 3; round++) {
			const server = await spawnServer(env);
			let stop = false;
			const poster = async () => {
				while (!stop) {
					const id = `k${round}-${n++}`;
					const batch = n % 3 === 0;
					try {
						const body = batch
							? [hookEvent({prompt: id}), hookEvent({prompt: `${id}b`})]
							: hookEvent({prompt: id});
						const r = await postJson(server.url, '/api/events', body, {'X-Mpm-Id': id});
						if (r.status === 202) {
							answered.add(id);
							if (batch) answered.add(`${id}:1`);
						}
					} catch {
						// The server died under this request: its fate is unknown, so it is not counted.
					}
				}
			};
			const posters = Array.from({length: 8}, poster);
			await new Promise((resolve) => setTimeout(resolve, 400 + 300 * round));
			server.child.kill('SIGKILL');
			await server.exited;
			stop = true;
			await Promise.all(posters);
		}
		const server = await spawnServer(env);
		try {
			const seen = new Map<string, number>();
			const seqs: number[] = [];
			for (let since = 0, more = true; more;) {
				const page = (await request(`${server.url}/api/events?since=${since}&limit=10000`)).json;
				for (const e of page.events) {
					seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
					seqs.push(e.seq);
				}
				({more, next: since} = page);
			}
			assert.ok(answered.size > 100, `enough load (${answered.size} answered)`);
			const lost = [...answered].filter((id) => !seen.has(id));
			assert.deepEqual(lost, [], 'no answered event lost');
			assert.deepEqual(
				[...seen].filter(([, count]) => count > 1),
				[],
				'none twice',
			);
			assert.equal(new Set(seqs).size, seqs.length, 'no seq twice');
			assert.ok(
				seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
				'seqs increase',
			);
		} finally {
			await server.kill();
		}
	});
});

describe('a start that fails', () => {
	test('exits 1 with one clear line, and leaves nothing behind: no lock, no listener, a second start works', async () => {
		const dir = tempDir();
		fs.mkdirSync(path.join(dir, 'journal.ndjson'));
		const failed = spawnCli(['--server-only', '--port', '0'], {MPM_TUI_STATE_DIR: dir});
		const {code} = await failed.exited;
		assert.equal(code, 1);
		const lines = failed.stderr().trim().split('\n');
		assert.equal(lines.length, 1, failed.stderr());
		assert.match(
			lines[0],
			/^mpm-tui: could not open the journal .*journal\.ndjson: it is a directory \(choose another with --journal PATH, or run with --no-journal\)$/,
		);
		assert.ok(!fs.existsSync(path.join(dir, 'server.lock')), 'the lock was let go');
		const next = await spawnServer({MPM_TUI_STATE_DIR: dir}, ['--no-journal']);
		assert.equal((await postJson(next.url, '/api/events', hookEvent())).status, 202);
		await next.kill();
	});
});
