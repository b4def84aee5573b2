import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, test} from 'node:test';
import {freePort} from './helpers/free-port.js';
import {hookEvent, postJson, spawnCli, spawnServer, tempDir, withTimeout} from './helpers/server-kit.js';

describe('mpm-tui emit and tail (spawned)', () => {
	test('emit sends one event (argument or stdin) and prints the answer; a bad one fails with the reason', async () => {
		const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
		try {
			const env = {MPM_TUI_STATE_DIR: tempDir(), MPM_TUI_PORT: String(server.port)};
			const arg = spawnCli(['emit', JSON.stringify(hookEvent({tool_input: {command: 'from-arg'}}))], env);
			assert.equal((await withTimeout(arg.exited, 8000, 'emit')).code, 0);
			assert.deepEqual(JSON.parse(arg.stdout()), {accepted: 1, duplicates: 0, lastSeq: 1});

			const viaStdin = spawnCli(['emit'], env);
			viaStdin.child.stdin!.end(JSON.stringify(hookEvent({tool_input: {command: 'from-stdin'}})));
			assert.equal((await withTimeout(viaStdin.exited, 8000, 'emit')).code, 0);
			assert.equal(JSON.parse(viaStdin.stdout()).lastSeq, 2);
			await server.waitFor((out) => out.includes('from-stdin'), 'the event on the server');

			const bad = spawnCli(['emit', '{"foo": 1}'], env);
			assert.equal((await withTimeout(bad.exited, 8000, 'emit')).code, 1);
			assert.match(JSON.parse(bad.stdout()).error, /no hook_event_name, type or subtype/);
			assert.match(bad.stderr(), /the server refused the event \(HTTP 400\): event has no hook_event_name/);
		} finally {
			await server.kill();
		}
	});

	test('emit to another program on the port: says so, prints none of its answer, fails', async () => {
		// Another HTTP program, as python3 -m http.server answers a POST: a 501 page (here with escapes in it).
		const other = http.createServer((req, res) => {
			req.resume();
			res.writeHead(501, {'Content-Type': 'text/html;charset=utf-8'});
			res.end(
				'<!DOCTYPE HTML><html><title>\u001b]0;PWNED\u0007Error</title><body>Unsupported method</body></html>',
			);
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			const port = (other.address() as AddressInfo).port;
			const proc = spawnCli(['emit', '{"hook_event_name":"Stop"}'], {
				MPM_TUI_STATE_DIR: tempDir(),
				MPM_TUI_PORT: String(port),
			});
			assert.equal((await withTimeout(proc.exited, 8000, 'emit')).code, 1);
			assert.equal(proc.stdout(), '');
			assert.equal(
				proc.stderr(),
				`mpm-tui: http://127.0.0.1:${port} is not an mpm-tui server: POST /api/events answered HTTP 501 (text/html;charset=utf-8)\n`,
			);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});

	test('emit with no server says so and fails', async () => {
		const proc = spawnCli(['emit', '{"hook_event_name":"Stop"}'], {
			MPM_TUI_STATE_DIR: tempDir(),
			MPM_TUI_PORT: String(await freePort()),
		});
		assert.equal((await withTimeout(proc.exited, 8000, 'emit')).code, 1);
		assert.match(proc.stderr(), /no server answers at http:\/\/127\.0\.0\.1:\d+/);
	});

	test('tail --since prints the history after SEQ and then live events; tail alone only live ones', async () => {
		const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
		const env = {MPM_TUI_STATE_DIR: tempDir(), MPM_TUI_PORT: String(server.port)};
		await postJson(server.url, '/api/events', [hookEvent(), hookEvent(), hookEvent()]);
		const since = spawnCli(['tail', '--since', '1'], env);
		const live = spawnCli(['tail'], env);
		const filtered = spawnCli(['tail', '--since', '0', '--filter', 'tool:Grep'], env);
		try {
			await since.waitFor((out) => out.trim().split('\n').length >= 2, 'the history');
			await live.waitFor((_, err) => /connected to/.test(err), 'tail to connect');
			await filtered.waitFor((_, err) => /connected to/.test(err), 'tail to connect');
			await postJson(server.url, '/api/events', [
				hookEvent({tool_name: 'Grep', tool_input: {pattern: 'a'}}),
				hookEvent(),
			]);
			await since.waitFor((out) => out.trim().split('\n').length >= 4, 'the live events');
			await live.waitFor((out) => out.trim().split('\n').length >= 2, 'the live events');
			await filtered.waitFor((out) => out.includes('"Grep"'), 'the Grep event');
			assert.deepEqual(
				since.lines().map((l) => l.seq),
				[2, 3, 4, 5],
			);
			assert.deepEqual(
				live.lines().map((l) => l.seq),
				[4, 5],
			);
			assert.deepEqual(
				filtered.lines().map((l) => [l.seq, l.tool]),
				[[4, 'Grep']],
			);
		} finally {
			await Promise.all([since.kill(), live.kill(), filtered.kill()]);
			await server.kill();
		}
		assert.equal((await since.exited).code, 0, 'SIGTERM ends tail with 0');
	});

	test('tail with no server says so, exit 1', async () => {
		const proc = spawnCli(['tail'], {MPM_TUI_STATE_DIR: tempDir(), MPM_TUI_PORT: String(await freePort())});
		assert.equal((await withTimeout(proc.exited, 8000, 'tail')).code, 1);
		assert.match(
			proc.stderr(),
			/no server answers at http:\/\/127\.0\.0\.1:\d+ \(start one with: mpm-tui --server-only\)/,
		);
	});

	test('tail --since 0 | head -n 2 exits cleanly (at its next write, like tail -f)', async () => {
		const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
		try {
			await postJson(server.url, '/api/events', hookEvent());
			const pipeline = spawnCli(
				[],
				{MPM_TUI_STATE_DIR: tempDir()},
				{
					shell: `{ node "${process.cwd()}/dist/cli.js" tail --since 0 --port ${server.port}; echo "tail-exit=$?" >&2; } | head -n 2`,
				},
			);
			let ended = false;
			void pipeline.exited.then(() => (ended = true));
			for (let i = 0; i < 100 && !ended; i++) {
				await postJson(server.url, '/api/events', hookEvent());
				await new Promise((r) => setTimeout(r, 50));
			}
			await withTimeout(pipeline.exited, 8000, 'the pipeline');
			assert.equal(pipeline.stdout().trim().split('\n').length, 2);
			assert.match(pipeline.stderr(), /tail-exit=0/);
			assert.doesNotMatch(pipeline.stderr(), /EPIPE|Error/);
		} finally {
			await server.kill();
		}
	});
});
