/**
 * The two forwarders (Node and POSIX sh) against a real HTTP server that records what it gets:
 * the same table of cases runs against both. Needs the build (dist/hook/*).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startCaptureServer, type CaptureServer} from './helpers/capture-server.js';
import {freePort} from './helpers/free-port.js';
import {baseEnv, eventually, readLines, runForwarder, sleep, tempDir, variants} from './helpers/forwarder.js';

const preToolUse = {
	session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
	transcript_path: '/home/u/.claude/projects/-home-u-app/5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b.jsonl',
	cwd: '/home/u/app',
	permission_mode: 'default',
	hook_event_name: 'PreToolUse',
	tool_name: 'Bash',
	tool_input: {command: 'npm test', description: 'Run the test suite'},
	tool_use_id: 'toolu_01Hq3vX9aTnE2bLw7KcR5mZp',
};
const payload = `${JSON.stringify(preToolUse)}\n`;

interface SpoolLine {
	mpm_spool: number;
	id: string;
	receivedAt: number;
	event: unknown;
}

function spoolLines(file: string): SpoolLine[] {
	return readLines(file).map((line) => JSON.parse(line) as SpoolLine);
}

for (const variant of variants) {
	describe(`forwarder (${variant.name})`, () => {
		let server: CaptureServer;
		const temp = tempDir(`hook-${variant.name}`);
		let n = 0;
		/** A fresh state dir per case, so spool files never mix. */
		const caseEnv = (extra: Record<string, string> = {}) => {
			const stateDir = path.join(temp.dir, `case-${++n}`);
			const env = baseEnv({
				HOME: temp.dir,
				MPM_TUI_STATE_DIR: stateDir,
				MPM_TUI_PORT: String(server.port),
				...extra,
			});
			return {env, spool: path.join(stateDir, 'spool.ndjson')};
		};

		before(async () => {
			server = await startCaptureServer();
		});
		after(async () => {
			// The sh forwarder's background subshell may still be finishing its last POST.
			await sleep(500);
			await server.close();
			temp.cleanup();
		});
		const reset = (mode: Parameters<CaptureServer['setMode']>[0] = {kind: 'status', status: 202}) => {
			server.requests.length = 0;
			server.setMode(mode);
		};

		test('server up: exactly one POST with the exact bytes and the contract headers, silent, exit 0', async () => {
			reset();
			const {env, spool} = caseEnv();
			const before = Date.now();
			const result = await runForwarder(variant, {env, input: payload});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			assert.equal(result.stderr, '');
			const [request] = await server.waitFor(1);
			await sleep(100);
			assert.equal(server.requests.length, 1);
			assert.equal(request.method, 'POST');
			assert.equal(request.url, '/api/events');
			assert.equal(request.body.toString('utf8'), payload);
			assert.equal(request.headers['content-type'], 'application/json');
			assert.match(String(request.headers['x-mpm-id']), /^[\w-]{6,}$/);
			const received = Number(request.headers['x-mpm-received']);
			assert.ok(
				Number.isInteger(received) && received >= before - 5 && received <= Date.now(),
				`X-Mpm-Received ${received}`,
			);
			assert.equal(request.headers.authorization, undefined);
			assert.equal(existsSync(spool), false);
		});

		test('every run gets its own id', async () => {
			reset();
			const {env} = caseEnv();
			await Promise.all([1, 2, 3].map(() => runForwarder(variant, {env, input: payload})));
			const requests = await server.waitFor(3);
			assert.equal(new Set(requests.map((r) => r.headers['x-mpm-id'])).size, 3);
		});

		test('token is sent as a Bearer header (MPM_TUI_TOKEN and the CLAUDE_MPM alias)', async () => {
			reset();
			await runForwarder(variant, {env: caseEnv({MPM_TUI_TOKEN: 's3cret-token'}).env, input: payload});
			await runForwarder(variant, {
				env: caseEnv({CLAUDE_MPM_SOCKETIO_TOKEN: 'alias-token'}).env,
				input: payload,
			});
			const requests = await server.waitFor(2);
			assert.deepEqual(requests.map((r) => r.headers.authorization).sort(), [
				'Bearer alias-token',
				'Bearer s3cret-token',
			]);
		});

		test('MPM_TUI_URL and the CLAUDE_MPM_SOCKETIO_PORT alias choose the server', async () => {
			reset();
			const viaUrl = caseEnv({MPM_TUI_URL: `http://127.0.0.1:${server.port}/custom/events`}).env;
			delete viaUrl.MPM_TUI_PORT;
			await runForwarder(variant, {env: viaUrl, input: payload});
			const viaAlias = caseEnv({CLAUDE_MPM_SOCKETIO_PORT: String(server.port)}).env;
			delete viaAlias.MPM_TUI_PORT;
			await runForwarder(variant, {env: viaAlias, input: payload});
			const requests = await server.waitFor(2);
			assert.deepEqual(requests.map((r) => r.url).sort(), ['/api/events', '/custom/events']);
		});

		test('MPM_TUI_URL with a host name (resolved, not an address) reaches the server', async () => {
			reset();
			const env = caseEnv({MPM_TUI_URL: `http://localhost:${server.port}/by-name`}).env;
			delete env.MPM_TUI_PORT;
			const result = await runForwarder(variant, {env, input: payload});
			assert.equal(result.code, 0);
			const requests = await server.waitFor(1);
			assert.equal(requests[0].url, '/by-name');
			assert.equal(requests[0].body.toString(), payload);
		});

		test('server down: exit 0, one spool line in the contract format', async () => {
			const {env, spool} = caseEnv({MPM_TUI_PORT: String(await freePort())});
			const before = Date.now();
			const result = await runForwarder(variant, {env, input: payload});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			assert.equal(result.stderr, '');
			const lines = await eventually(
				() => (readLines(spool).length > 0 ? spoolLines(spool) : undefined),
				5000,
				'the spool line',
			);
			assert.equal(lines.length, 1);
			const [line] = lines;
			assert.deepEqual(Object.keys(line), ['mpm_spool', 'id', 'receivedAt', 'event']);
			assert.equal(line.mpm_spool, 1);
			assert.match(line.id, /^[\w-]{6,}$/);
			assert.ok(line.receivedAt >= before - 5 && line.receivedAt <= Date.now());
			assert.deepEqual(line.event, preToolUse);
			assert.equal(statSync(spool).mode & 0o777, 0o600);
			assert.equal(statSync(path.dirname(spool)).mode & 0o777, 0o700);
		});

		test('server slow (accepts, never answers): exit 0 after the timeout, spooled with the id the POST carried', async () => {
			reset({kind: 'hang'});
			const {env, spool} = caseEnv({MPM_TUI_HOOK_TIMEOUT_MS: '300'});
			const result = await runForwarder(variant, {env, input: payload});
			assert.equal(result.code, 0);
			const [request] = await server.waitFor(1);
			const lines = await eventually(
				() => (readLines(spool).length > 0 ? spoolLines(spool) : undefined),
				5000,
				'the spool line',
			);
			assert.equal(lines.length, 1);
			assert.equal(lines[0].id, request.headers['x-mpm-id']);
			assert.equal(lines[0].receivedAt, Number(request.headers['x-mpm-received']));
			assert.deepEqual(lines[0].event, preToolUse);
		});

		for (const status of [500, 503, 401, 413]) {
			test(`server answers ${status}: spooled`, async () => {
				reset({kind: 'status', status});
				const {env, spool} = caseEnv();
				const result = await runForwarder(variant, {env, input: payload});
				assert.equal(result.code, 0);
				assert.equal(result.stdout, '');
				const [request] = await server.waitFor(1);
				const lines = await eventually(
					() => (readLines(spool).length > 0 ? spoolLines(spool) : undefined),
					5000,
					'the spool line',
				);
				assert.equal(lines.length, 1);
				assert.equal(lines[0].id, request.headers['x-mpm-id']);
			});
		}

		test('server answers 400 (the body itself is bad): not spooled, since it would fail again; still exit 0', async () => {
			reset({kind: 'status', status: 400});
			const {env, spool} = caseEnv({MPM_TUI_HOOK_DEBUG: '1'});
			const result = await runForwarder(variant, {env, input: '{"not":"an event"}'});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			await server.waitFor(1);
			assert.match(result.stderr, /rejected/);
			assert.equal(existsSync(spool), false);
		});

		test('stdin left open after a whole JSON object: still forwards and exits', async () => {
			reset();
			const {env} = caseEnv();
			const result = await runForwarder(variant, {env, input: JSON.stringify(preToolUse), leaveOpen: true});
			assert.equal(result.code, 0);
			assert.equal(result.signal, null);
			assert.equal(result.stdout, '');
			assert.equal(result.stderr, '');
			const [request] = await server.waitFor(1);
			assert.deepEqual(JSON.parse(request.body.toString('utf8')), preToolUse);
		});

		test('stdin arriving in two parts (the first not a whole object): the POST has the exact bytes', async () => {
			reset();
			const cut = payload.indexOf('"tool_name"');
			for (const leaveOpen of [false, true]) {
				const result = await runForwarder(variant, {
					env: caseEnv().env,
					input: payload.slice(0, cut),
					later: {afterMs: 150, input: payload.slice(cut)},
					leaveOpen,
				});
				assert.equal(result.code, 0);
				assert.equal(result.signal, null);
				assert.equal(result.stderr, '');
				const [request] = await server.waitFor(1);
				assert.equal(request.body.toString('utf8'), payload, leaveOpen ? 'left open' : 'closed');
				reset();
			}
		});

		test('stdin left open after part of an object: what arrived is sent after the 2 s cap, exit 0', async () => {
			reset();
			const part = payload.slice(0, payload.indexOf('"tool_name"'));
			const result = await runForwarder(variant, {env: caseEnv().env, input: part, leaveOpen: true});
			assert.equal(result.code, 0);
			assert.equal(result.signal, null);
			assert.equal(result.stderr, '');
			const [request] = await server.waitFor(1);
			assert.equal(request.body.toString('utf8'), part);
		});

		test('stdin is a regular file: the POST has its exact bytes', async () => {
			reset();
			const file = path.join(temp.dir, `stdin-${variant.name}.json`);
			writeFileSync(file, payload);
			const result = await runForwarder(variant, {env: caseEnv().env, input: '', stdinFile: file});
			assert.equal(result.code, 0);
			const [request] = await server.waitFor(1);
			assert.equal(request.body.toString('utf8'), payload);
		});

		test('a payload larger than one read (3 MiB): the POST has the exact bytes', async () => {
			reset();
			const big = `${JSON.stringify({...preToolUse, tool_response: {stdout: 'x'.repeat(3 * 1024 * 1024)}})}\n`;
			const result = await runForwarder(variant, {
				env: caseEnv({MPM_TUI_HOOK_TIMEOUT_MS: '3000'}).env,
				input: big,
			});
			assert.equal(result.code, 0);
			const [request] = await server.waitFor(1);
			assert.equal(request.body.length, Buffer.byteLength(big));
			assert.equal(request.body.toString('utf8'), big);
		});

		test('empty stdin: exit 0, nothing sent, nothing spooled', async () => {
			reset();
			for (const input of ['', '  \n']) {
				const {env, spool} = caseEnv();
				const result = await runForwarder(variant, {env, input});
				assert.equal(result.code, 0);
				assert.equal(result.stdout, '');
				await sleep(300);
				assert.equal(server.requests.length, 0);
				assert.equal(existsSync(spool), false);
			}
		});

		test('payload with newlines and unicode: the POST has the exact bytes, the spool line is one valid JSON line', async () => {
			const event = {
				...preToolUse,
				hook_event_name: 'UserPromptSubmit',
				prompt: 'fix the “tests”\n— naïve 日本語 🚀\r\nline3',
			};
			const pretty = `${JSON.stringify(event, null, 2).replace(/\n/g, '\r\n')}\n`;
			reset();
			await runForwarder(variant, {env: caseEnv().env, input: pretty});
			const [request] = await server.waitFor(1);
			assert.equal(request.body.toString('utf8'), pretty);
			const {env, spool} = caseEnv({MPM_TUI_PORT: String(await freePort())});
			await runForwarder(variant, {env, input: pretty});
			await eventually(() => (readLines(spool).length > 0 ? true : undefined), 5000, 'the spool line');
			const raw = readFileSync(spool, 'utf8');
			assert.equal(raw.split('\n').length, 2, 'one line and its newline');
			assert.deepEqual((JSON.parse(raw) as SpoolLine).event, event);
		});

		test('spool bound reached: the event is counted in <spool>.dropped and the spool is not grown', async () => {
			const {env, spool} = caseEnv({MPM_TUI_PORT: String(await freePort()), MPM_TUI_SPOOL_MAX_BYTES: '600'});
			await runForwarder(variant, {env, input: payload});
			await eventually(
				() => (readLines(spool).length === 1 ? true : undefined),
				5000,
				'the first spool line',
			);
			const first = readFileSync(spool);
			await runForwarder(variant, {env, input: payload});
			// One byte per dropped event: the count is the counter file's size.
			// The counter is opened (created) and then written: wait for its byte, not only the file.
			await eventually(
				() => (existsSync(`${spool}.dropped`) && statSync(`${spool}.dropped`).size > 0 ? true : undefined),
				5000,
				'the dropped counter',
			);
			assert.equal(statSync(`${spool}.dropped`).size, 1);
			await runForwarder(variant, {env, input: payload});
			await eventually(
				() => (statSync(`${spool}.dropped`).size === 2 ? true : undefined),
				5000,
				'the counter at 2',
			);
			assert.deepEqual(readFileSync(spool), first);
		});

		test('MPM_TUI_SPOOL names the spool file', async () => {
			const file = path.join(temp.dir, `custom-${variant.name}`, 'my.spool');
			const {env} = caseEnv({MPM_TUI_PORT: String(await freePort()), MPM_TUI_SPOOL: file});
			await runForwarder(variant, {env, input: payload});
			const lines = await eventually(
				() => (readLines(file).length > 0 ? spoolLines(file) : undefined),
				5000,
				'the spool line',
			);
			assert.deepEqual(lines[0].event, preToolUse);
		});

		test('a relative MPM_TUI_SPOOL is relative to the working directory', async () => {
			const cwd = path.join(temp.dir, `cwd-${variant.name}`);
			mkdirSync(cwd);
			const {env} = caseEnv({MPM_TUI_PORT: String(await freePort()), MPM_TUI_SPOOL: 'here.ndjson'});
			await runForwarder(variant, {env, input: payload, cwd});
			const lines = await eventually(
				() =>
					readLines(path.join(cwd, 'here.ndjson')).length > 0
						? spoolLines(path.join(cwd, 'here.ndjson'))
						: undefined,
				5000,
				'the spool line',
			);
			assert.deepEqual(lines[0].event, preToolUse);
			// Nothing else left behind once the forwarder is done (the sh one removes its temp files).
			await eventually(
				() =>
					readdirSync(cwd)
						.filter((name) => name !== 'here.ndjson.lock')
						.join() === 'here.ndjson'
						? true
						: undefined,
				5000,
				`only the spool in ${cwd}`,
			);
		});

		test('parallel events while the server is down: every one spooled as its own whole line', async () => {
			const {env, spool} = caseEnv({MPM_TUI_PORT: String(await freePort())});
			const big = (i: number) =>
				JSON.stringify({
					...preToolUse,
					hook_event_name: 'PostToolUse',
					tool_use_id: `toolu_${i}`,
					tool_response: {stdout: `${i}`.repeat(150_000)},
				});
			await Promise.all(Array.from({length: 6}, (_, i) => runForwarder(variant, {env, input: big(i)})));
			const lines = await eventually(
				() => (readLines(spool).length >= 6 ? spoolLines(spool) : undefined),
				8000,
				'six spool lines',
			);
			assert.deepEqual(
				lines.map((l) => (l.event as {tool_use_id: string}).tool_use_id).sort(),
				[0, 1, 2, 3, 4, 5].map((i) => `toolu_${i}`),
			);
			assert.equal(new Set(lines.map((l) => l.id)).size, 6);
		});

		test('debug on: diagnostics on stderr, stdout still empty; MPM_TUI_HOOK_LOG gets them too', async () => {
			reset();
			const log = path.join(temp.dir, `hook-${variant.name}.log`);
			const result = await runForwarder(variant, {
				env: caseEnv({CLAUDE_MPM_HOOK_DEBUG: '1', MPM_TUI_HOOK_LOG: log}).env,
				input: payload,
			});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			assert.match(result.stderr, /sent/);
			assert.match(readFileSync(log, 'utf8'), /sent/);
			// The Node forwarder says which transport carried the event: node:net, unless the raw TCP handle is opted in.
			if (variant.name === 'node') assert.match(result.stderr, / via node:net: 202/);
			if (variant.name === 'node-fast') assert.match(result.stderr, / via tcp_wrap: 202/);
		});

		if (variant.name === 'node-fast') {
			test('opted in, but this Node reports deprecations: node:net carries the event, no warning, exit 0', async () => {
				for (const flag of ['--pending-deprecation', '--throw-deprecation']) {
					reset();
					const result = await runForwarder(variant, {
						env: caseEnv({CLAUDE_MPM_HOOK_DEBUG: '1', NODE_OPTIONS: flag}).env,
						input: payload,
					});
					assert.equal(result.code, 0, flag);
					assert.equal(result.stdout, '', flag);
					assert.match(result.stderr, / via node:net: 202/, flag);
					assert.doesNotMatch(result.stderr, /Deprecation|DEP0/, flag);
					assert.equal((await server.waitFor(1)).length, 1, flag);
				}
			});
		}

		test('spool directory cannot be created: exit 0, silent', async () => {
			const blocker = path.join(temp.dir, `not-a-dir-${variant.name}`);
			writeFileSync(blocker, 'a file where the state dir should be');
			const log = path.join(temp.dir, `blocked-${variant.name}.log`);
			const env = {
				...caseEnv({MPM_TUI_PORT: String(await freePort()), MPM_TUI_HOOK_LOG: log}).env,
				MPM_TUI_STATE_DIR: path.join(blocker, 'state'),
			};
			const result = await runForwarder(variant, {env, input: payload});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			assert.equal(result.stderr, '');
			const said = await eventually(
				() =>
					existsSync(log) && /could not/.test(readFileSync(log, 'utf8'))
						? readFileSync(log, 'utf8')
						: undefined,
				5000,
				'the log line',
			);
			assert.match(said, /could not (spool|create)/);
		});
	});
}
