/**
 * End to end with the real server: both forwarders → `startServer` → a Socket.IO client; and
 * "server down → forwarder spools → server starts → every spooled event appears exactly once".
 * Needs the build (dist/hook/*).
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {io as connect} from 'socket.io-client';
import {resolveConfig} from '../source/config.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {baseEnv, eventually, readLines, runForwarder, tempDir, variants} from './helpers/forwarder.js';

const event = (i: number) => ({
	session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
	transcript_path: '/home/u/.claude/projects/-home-u-app/5b1e0c9a.jsonl',
	cwd: '/home/u/app',
	permission_mode: 'default',
	hook_event_name: 'PreToolUse',
	tool_name: 'Bash',
	tool_input: {command: `npm test -- --shard=${i}`, description: 'Run the test suite'},
	tool_use_id: `toolu_e2e_${i}`,
});

for (const variant of variants) {
	describe(`forwarder (${variant.name}) with the real server`, () => {
		test('the event arrives, normalized, at a Socket.IO client, with the forwarder id and time', async (t) => {
			const temp = tempDir(`e2e-${variant.name}`);
			t.after(temp.cleanup);
			const env = {MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), HOME: temp.dir};
			const config = resolveConfig({port: await freePort(), journal: false}, env, temp.dir);
			const server = await startServer(config);
			t.after(() => server.close());
			const client = connect(server.url, {
				auth: {client: 'mpm-tui'},
				transports: ['websocket'],
				reconnection: false,
			});
			t.after(() => client.close());
			const received: EventRecord[] = [];
			client.on('events', (batch: EventRecord[]) => received.push(...batch));
			await new Promise<void>((resolve, reject) => {
				client.once('hello', () => resolve());
				client.once('connect_error', reject);
			});
			const before = Date.now();
			const result = await runForwarder(variant, {
				env: baseEnv({...env, MPM_TUI_PORT: String(server.port)}),
				input: JSON.stringify(event(1)),
			});
			assert.equal(result.code, 0);
			assert.equal(result.stdout, '');
			const [record] = await eventually(
				() => (received.length > 0 ? received : undefined),
				5000,
				'the event at the Socket.IO client',
			);
			assert.equal(record.type, 'PreToolUse');
			assert.equal(record.tool, 'Bash');
			assert.equal(record.toolUseId, 'toolu_e2e_1');
			assert.equal(record.session, '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b');
			assert.deepEqual(record.payload.tool_input, event(1).tool_input);
			assert.match(
				record.id,
				variant.command === process.execPath ? /^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/ : /^s\d+-\d+-[0-9a-f]+$/,
			);
			const time = Date.parse(record.time);
			assert.ok(time >= before - 5 && time <= Date.now(), `record time ${record.time}`);
			assert.equal(server.stats().spool.backlogBytes, 0);
		});

		test('server down → spooled; server starts → every spooled event appears exactly once', async (t) => {
			const temp = tempDir(`e2e-spool-${variant.name}`);
			t.after(temp.cleanup);
			const env = {MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), HOME: temp.dir};
			const port = await freePort();
			const forwarderEnv = baseEnv({...env, MPM_TUI_PORT: String(port)});
			const count = 5;
			for (let i = 0; i < count; i++) {
				const result = await runForwarder(variant, {env: forwarderEnv, input: JSON.stringify(event(i))});
				assert.equal(result.code, 0);
			}
			const config = resolveConfig({port, journal: false}, env, temp.dir);
			const spooled = await eventually(
				() => (readLines(config.spool).length === count ? readLines(config.spool) : undefined),
				5000,
				`${count} spool lines`,
			);
			const spooledIds = spooled.map((line) => (JSON.parse(line) as {id: string}).id).sort();

			const accepted: EventRecord[] = [];
			const server = await startServer(config, {
				onAccepted: (batch) => accepted.push(...batch.records),
				spoolIntervalMs: 100,
			});
			t.after(() => server.close());
			await eventually(() => (accepted.length >= count ? true : undefined), 5000, 'the drained events');
			// One more event live, then let a few more drain cycles pass: nothing may come twice.
			await runForwarder(variant, {env: forwarderEnv, input: JSON.stringify(event(99))});
			await eventually(() => (accepted.length >= count + 1 ? true : undefined), 5000, 'the live event');
			await new Promise((resolve) => setTimeout(resolve, 400));
			assert.equal(accepted.length, count + 1);
			const drained = accepted.filter((r) => r.source === 'spool');
			assert.deepEqual(drained.map((r) => r.id).sort(), spooledIds);
			assert.deepEqual(
				accepted.map((r) => r.toolUseId).sort(),
				[...Array.from({length: count}, (_, i) => `toolu_e2e_${i}`), 'toolu_e2e_99'].sort(),
			);
			assert.deepEqual(readLines(config.spool), []);
		});

		test('events over the HTTP size limit (413) are spooled and arrive through the drain exactly once, cut to size, even while it drains every 5 ms', async (t) => {
			const temp = tempDir(`e2e-big-${variant.name}`);
			t.after(temp.cleanup);
			const env = {MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), HOME: temp.dir};
			const config = resolveConfig({port: await freePort(), journal: false}, env, temp.dir);
			const accepted: EventRecord[] = [];
			// A drain this frequent often renames the spool while a forwarder is appending to it:
			// the forwarder must notice and write the line again (the server drops the second copy).
			const server = await startServer(config, {
				onAccepted: (batch) => accepted.push(...batch.records),
				spoolIntervalMs: 5,
			});
			t.after(() => server.close());
			const forwarderEnv = baseEnv({
				...env,
				MPM_TUI_PORT: String(server.port),
				MPM_TUI_HOOK_TIMEOUT_MS: '2000',
			});
			const big = (i: number) =>
				JSON.stringify({
					...event(i),
					hook_event_name: 'PostToolUse',
					tool_response: {stdout: 'line of output\n'.repeat(100_000), stderr: ''},
				});
			assert.ok(big(0).length > 1_048_576);
			for (let i = 0; i < 4; i++)
				assert.equal((await runForwarder(variant, {env: forwarderEnv, input: big(i)})).code, 0);
			await eventually(() => (accepted.length >= 4 ? true : undefined), 30_000, 'the four big events');
			await new Promise((resolve) => setTimeout(resolve, 500));
			assert.deepEqual(accepted.map((r) => r.toolUseId).sort(), [
				'toolu_e2e_0',
				'toolu_e2e_1',
				'toolu_e2e_2',
				'toolu_e2e_3',
			]);
			for (const record of accepted) {
				assert.equal(record.source, 'spool');
				assert.equal(record.type, 'PostToolUse');
				assert.ok(JSON.stringify(record.payload).length < big(0).length, 'oversized field cut');
			}
		});

		test('a POST that times out after reaching the server, then spooled and drained: still exactly once', async (t) => {
			const temp = tempDir(`e2e-once-${variant.name}`);
			t.after(temp.cleanup);
			const env = {MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), HOME: temp.dir};
			const config = resolveConfig({port: await freePort(), journal: false}, env, temp.dir);
			const accepted: EventRecord[] = [];
			const server = await startServer(config, {
				onAccepted: (batch) => accepted.push(...batch.records),
				spoolIntervalMs: 100,
			});
			t.after(() => server.close());
			// A 1 ms timeout: the forwarder gives up (and spools) whether or not the server got the POST.
			const forwarderEnv = baseEnv({...env, MPM_TUI_PORT: String(server.port), MPM_TUI_HOOK_TIMEOUT_MS: '1'});
			for (let i = 0; i < 3; i++)
				await runForwarder(variant, {env: forwarderEnv, input: JSON.stringify(event(i))});
			await eventually(
				() => (accepted.length >= 3 && readLines(config.spool).length === 0 ? true : undefined),
				5000,
				'three events and an empty spool',
			);
			await new Promise((resolve) => setTimeout(resolve, 400));
			assert.deepEqual(accepted.map((r) => r.toolUseId).sort(), [
				'toolu_e2e_0',
				'toolu_e2e_1',
				'toolu_e2e_2',
			]);
		});
	});
}
