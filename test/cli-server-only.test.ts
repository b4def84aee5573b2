import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import {describe, test} from 'node:test';
import {Socket} from 'socket.io-client';
import {
	collectEvents,
	connect,
	hookEvent,
	nextEvent,
	postJson,
	spawnCli,
	spawnServer,
	tempDir,
	withTimeout,
} from './helpers/server-kit.js';

describe('mpm-tui --server-only (spawned)', () => {
	test('accepted events appear as NDJSON on stdout and at a socket.io-client, normalized', async () => {
		const dir = tempDir();
		const server = await spawnServer({MPM_TUI_STATE_DIR: dir});
		let socket: Socket | undefined;
		try {
			socket = connect(server.url);
			await nextEvent(socket, 'hello');
			const got = collectEvents(socket);
			const event = hookEvent({
				hook_event_name: 'UserPromptSubmit',
				prompt: 'fix the failing test',
				tool_name: undefined,
				tool_input: undefined,
				tool_use_id: undefined,
			});
			assert.equal((await postJson(server.url, '/api/events', event, {'X-Mpm-Id': 'cli-1'})).status, 202);
			await server.waitFor((out) => out.includes('"cli-1"'), 'the NDJSON line');
			const [line] = server.lines();
			assert.equal(line.id, 'cli-1');
			assert.equal(line.seq, 1);
			assert.equal(line.type, 'UserPromptSubmit');
			assert.equal(line.summary, 'prompt  "fix the failing test"');
			const [record] = await got.until(1);
			assert.deepEqual(record, line);
		} finally {
			socket?.close();
			await server.kill();
		}
	});

	test('SIGTERM: exits 0 and the journal holds every event', async () => {
		const dir = tempDir();
		const server = await spawnServer({MPM_TUI_STATE_DIR: dir});
		for (let i = 0; i < 3; i++) await postJson(server.url, '/api/events', hookEvent());
		server.child.kill('SIGTERM');
		const {code} = await withTimeout(server.exited, 5000, 'exit');
		assert.equal(code, 0);
		const journal = fs.readFileSync(`${dir}/journal.ndjson`, 'utf8').trim().split('\n');
		assert.equal(journal.length, 3);
		assert.match(server.stderr(), /stopping \(SIGTERM\)/);
	});

	test('--filter: only matching events on stdout', async () => {
		const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, [
			'--no-journal',
			'--filter',
			'tool:Grep',
		]);
		try {
			await postJson(server.url, '/api/events', [
				hookEvent({tool_name: 'Bash'}),
				hookEvent({tool_name: 'Grep', tool_input: {pattern: 'x'}}),
				hookEvent({tool_name: 'Read'}),
			]);
			await postJson(
				server.url,
				'/api/events',
				hookEvent({tool_name: 'Grep', tool_input: {pattern: 'last'}}),
			);
			await server.waitFor((out) => out.includes('"last"'), 'the last Grep');
			assert.deepEqual(
				server.lines().map((l) => l.tool),
				['Grep', 'Grep'],
			);
		} finally {
			await server.kill();
		}
	});

	test('port in use by an mpm-tui server: one line naming it and its pid, non-zero exit', async () => {
		const first = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
		try {
			const second = spawnCli(['--server-only', '--no-journal', '--port', String(first.port)], {
				MPM_TUI_STATE_DIR: tempDir(),
			});
			const {code} = await withTimeout(second.exited, 8000, 'the second server to give up');
			assert.equal(code, 1);
			assert.equal(
				second.stderr().trim(),
				`mpm-tui: port ${first.port} on 127.0.0.1 is already in use by an mpm-tui server (pid ${first.child.pid})`,
			);
		} finally {
			await first.kill();
		}
	});

	test('port in use by another program: says so, non-zero exit', async () => {
		const other = http.createServer((_, res) => res.end('hello'));
		await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
		const port = (other.address() as {port: number}).port;
		try {
			const proc = spawnCli(['--server-only', '--no-journal', '--port', String(port)], {
				MPM_TUI_STATE_DIR: tempDir(),
			});
			const {code} = await withTimeout(proc.exited, 8000, 'exit');
			assert.equal(code, 1);
			assert.equal(
				proc.stderr().trim(),
				`mpm-tui: port ${port} on 127.0.0.1 is already in use by another program`,
			);
		} finally {
			other.close();
		}
	});

	test('a non-loopback host without a token is refused with exit 2', async () => {
		const proc = spawnCli(['--server-only', '--no-journal', '--port', '0', '--host', '0.0.0.0'], {
			MPM_TUI_STATE_DIR: tempDir(),
		});
		const {code} = await withTimeout(proc.exited, 8000, 'exit');
		assert.equal(code, 2);
		assert.match(proc.stderr(), /refusing to listen on 0\.0\.0\.0 without a token/);
	});

	test('--server-only | head -n 3 exits cleanly', async () => {
		const dir = tempDir();
		// The server's stdout goes to head; its stderr (with the port) comes to us.
		const pipeline = spawnCli(
			[],
			{MPM_TUI_STATE_DIR: dir},
			{
				shell: `{ node "${process.cwd()}/dist/cli.js" --server-only --port 0; echo "server-exit=$?" >&2; } | head -n 3`,
			},
		);
		await pipeline.waitFor((_, err) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(err), 'listening');
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(pipeline.stderr())![1];
		for (let i = 0; i < 6; i++) {
			const r = await postJson(url, '/api/events', hookEvent()).catch(() => undefined);
			if (!r) break;
			await new Promise((res) => setTimeout(res, 30));
		}
		const {code} = await withTimeout(pipeline.exited, 8000, 'the pipeline to end');
		assert.equal(code, 0);
		assert.equal(pipeline.stdout().trim().split('\n').length, 3);
		assert.match(pipeline.stderr(), /stopping \(stdout was closed\)/);
		assert.match(pipeline.stderr(), /mpm-tui: stopped/);
		assert.match(pipeline.stderr(), /server-exit=0/);
		assert.doesNotMatch(pipeline.stderr(), /EPIPE|Error/);
		// the server is gone
		await assert.rejects(postJson(url, '/api/events', hookEvent()));
	});
});
