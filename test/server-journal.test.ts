import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Journal} from '../source/server/journal.js';
import {replayJournal} from '../source/server/journal-replay.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {hookEvent, postJson, request, spawnServer, tempDir, testConfig} from './helpers/server-kit.js';

function readLines(file: string): any[] {
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter((l) => l !== '')
		.map((l) => JSON.parse(l));
}

describe('journal', () => {
	test('restart with a journal: history and seq continue, nothing lost or duplicated', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		const first = await startServer(config);
		for (let i = 0; i < 5; i++)
			assert.equal((await postJson(first.url, '/api/events', hookEvent())).status, 202);
		await first.close();
		assert.equal(readLines(config.journal!).length, 5, 'close flushed the journal');

		const second = await startServer(config);
		assert.equal(second.stats().journal.replayed, 5);
		const r = await postJson(second.url, '/api/events', hookEvent());
		assert.equal(r.json.lastSeq, 6, 'seq continues after the journal');
		const page = await request(`${second.url}/api/events?since=0`);
		assert.deepEqual(
			page.json.events.map((e: any) => e.seq),
			[1, 2, 3, 4, 5, 6],
		);
		await second.close();
		const lines = readLines(config.journal!);
		assert.deepEqual(
			lines.map((l) => l.seq),
			[1, 2, 3, 4, 5, 6],
		);
		assert.equal(new Set(lines.map((l) => l.id)).size, 6);
	});

	test('an accepted event is on disk before the answer: a killed server loses nothing and never reuses a seq', async () => {
		const dir = tempDir();
		const env = {MPM_TUI_STATE_DIR: dir};
		const first = await spawnServer(env);
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			const r = await postJson(first.url, '/api/events', hookEvent({prompt: `before kill ${i}`}));
			assert.equal(r.status, 202);
		}
		first.child.kill('SIGKILL');
		await first.exited;
		const journal = path.join(dir, 'journal.ndjson');
		assert.deepEqual(
			readLines(journal).map((l) => l.seq),
			[1, 2, 3],
			'every answered event was in the journal when the process died',
		);

		const second = await spawnServer(env);
		try {
			const r = await postJson(second.url, '/api/events', hookEvent({prompt: 'after restart'}));
			assert.equal(r.json.lastSeq, 4, 'seq continues after the last answered event');
			const page = await request(`${second.url}/api/events?since=0`);
			for (const e of page.json.events) ids.push(e.id);
			assert.deepEqual(
				page.json.events.map((e: any) => [e.seq, e.payload.prompt]),
				[
					[1, 'before kill 0'],
					[2, 'before kill 1'],
					[3, 'before kill 2'],
					[4, 'after restart'],
				],
			);
			assert.equal(new Set(ids).size, 4);
		} finally {
			await second.kill();
		}
	});

	test('Journal.appendBytes writes before it returns, and ends a line cut off by a crash', () => {
		const file = path.join(tempDir(), 'journal.ndjson');
		fs.writeFileSync(
			file,
			'{"seq":1,"id":"a","type":"Stop","time":"2026-11-23T10:00:00Z"}\n{"seq":2,"id":"b","ty',
		);
		const journal = new Journal({path: file});
		assert.equal(
			journal.appendBytes(Buffer.from('{"seq":3,"id":"c","type":"Stop","time":"2026-11-23T10:00:01Z"}\n'), 3),
			null,
		);
		const lines = fs.readFileSync(file, 'utf8').split('\n');
		assert.equal(lines[1], '{"seq":2,"id":"b","ty', 'the cut-off line stays a line of its own');
		assert.equal(JSON.parse(lines[2]).seq, 3);
		assert.equal(lines[3], '');
		void journal.close();
	});

	test('a corrupt or cut-off line is skipped and counted, never fatal', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		const good = (seq: number) =>
			JSON.stringify({
				seq,
				id: `id${seq}`,
				time: new Date().toISOString(),
				session: null,
				type: 'Stop',
				tool: null,
				toolUseId: null,
				agentId: null,
				agentType: null,
				cwd: null,
				summary: 'stop',
				source: 'hook',
				payload: {},
			});
		fs.writeFileSync(config.journal!, `${good(1)}\nnot json at all\n${good(2)}\n{"seq":3,"id":"id3","ti`);
		const server = await startServer(config);
		try {
			const stats = server.stats();
			assert.equal(stats.journal.replayed, 2);
			assert.equal(stats.journal.skipped, 2);
			const r = await postJson(server.url, '/api/events', hookEvent());
			assert.equal(r.json.lastSeq, 4, "the cut-off line's seq 3 was given once: never again");
		} finally {
			await server.close();
		}
		const lines = fs.readFileSync(config.journal!, 'utf8').split('\n');
		assert.equal(JSON.parse(lines[lines.length - 2]).seq, 4, 'the new line starts on a line of its own');
	});

	test('rotation: past maxBytes the file becomes .1, at most 2 old files are kept, replay reads across them', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'j.ndjson');
		const journal = new Journal({path: file, maxBytes: 2000, keep: 2});
		const line = (seq: number) =>
			JSON.stringify({
				seq,
				id: `r${seq}`,
				time: '2026-01-01T00:00:00.000Z',
				session: null,
				type: 'Stop',
				tool: null,
				toolUseId: null,
				agentId: null,
				agentType: null,
				cwd: null,
				summary: 'stop',
				source: 'hook',
				payload: {pad: 'x'.repeat(400)},
			});
		for (let seq = 1; seq <= 40; seq++)
			assert.equal(journal.appendBytes(Buffer.from(`${line(seq)}\n`), seq), null);
		await journal.close();
		assert.ok(fs.existsSync(`${file}.1`));
		assert.ok(fs.existsSync(`${file}.2`));
		assert.ok(!fs.existsSync(`${file}.3`));
		for (const f of [file, `${file}.1`, `${file}.2`])
			assert.ok(fs.statSync(f).size < 2000 + 4 * 500, `${f} stays bounded`);
		const replay = replayJournal(file, 10_000, 2);
		const seqs = replay.records.map((r) => r.seq);
		assert.equal(replay.lastSeq, 40);
		assert.deepEqual(
			seqs,
			Array.from({length: seqs.length}, (_, i) => 40 - seqs.length + 1 + i),
			'contiguous, oldest first',
		);
		const small = replayJournal(file, 3, 2);
		assert.deepEqual(
			small.records.map((r) => r.seq),
			[38, 39, 40],
		);
	});

	test('a journal that cannot be opened stops the start with a clear message and frees the port', async () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, 'a-file'), '');
		const config = testConfig(
			{port: await freePort(), journal: path.join(dir, 'a-file', 'journal.ndjson')},
			{},
			dir,
		);
		await assert.rejects(
			startServer(config),
			/could not open the journal .*a-file\/journal\.ndjson: .*--no-journal/,
		);
		const again = await startServer({...config, journal: null});
		assert.equal(again.port, config.port);
		await again.close();
	});

	test('--no-journal writes nothing', async () => {
		const dir = tempDir();
		const server = await startServer(testConfig({journal: false}, {}, dir));
		await postJson(server.url, '/api/events', hookEvent());
		await server.close();
		assert.deepEqual(fs.readdirSync(dir), []);
	});
});

test('a journal line nested 5,000 deep (an older server could write one) is skipped and counted; the start goes on', async () => {
	const dir = tempDir();
	const config = testConfig({}, {}, dir);
	const record = (seq: number, payload: string) =>
		`{"seq":${seq},"id":"d${seq}","time":"2026-11-23T10:00:00.000Z","session":null,"type":"Stop","tool":null,"toolUseId":null,"agentId":null,"agentType":null,"cwd":null,"summary":"stop","source":"hook","payload":${payload}}`;
	fs.writeFileSync(
		config.journal!,
		`${record(1, '{}')}\n${record(2, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)}\n${record(3, '{}')}\n`,
	);
	const server = await startServer(config);
	try {
		const stats = server.stats();
		assert.equal(stats.journal.replayed, 2);
		assert.equal(stats.journal.skipped, 1);
		const r = await postJson(server.url, '/api/events', hookEvent());
		assert.equal(r.json.lastSeq, 4, "the deep line's seq is not given again");
	} finally {
		await server.close();
	}
});
