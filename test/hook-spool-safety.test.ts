/**
 * The forwarders where the spool's disk or directory works against them: a full disk with the
 * server up, a spool directory others can write to, links and FIFOs planted where the forwarders
 * open files, and many forwarders counting dropped events at once. The built forwarders
 * (dist/hook/*) against real servers.
 */
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {spoolStatus} from '../source/hook/status.js';
import {spoolDropped} from '../source/server/spool.js';
import {startCaptureServer, type CaptureServer} from './helpers/capture-server.js';
import {freePort} from './helpers/free-port.js';
import {baseEnv, eventually, runForwarder, sleep, tempDir, variants} from './helpers/forwarder.js';

const isRoot = process.getuid?.() === 0;

const event = (name: string, extra: Record<string, unknown> = {}) =>
	JSON.stringify({
		session_id: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
		cwd: '/home/u/app',
		hook_event_name: 'UserPromptSubmit',
		prompt: `prompt ${name}`,
		...extra,
	});

/** Everything under `dir`, as relative paths. */
function contents(dir: string): string[] {
	return fs.readdirSync(dir, {recursive: true}).map(String).sort();
}

describe('forwarders on a full state disk, server up', () => {
	test('every forwarder still POSTs the whole event, and leaves nothing on the full disk', async (t) => {
		if (!isRoot) return t.skip('needs root to mount a small tmpfs and fill it (CI runs as root)');
		const temp = tempDir('full-disk');
		const mount = path.join(temp.dir, 'disk');
		fs.mkdirSync(mount);
		const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mount], {
			encoding: 'utf8',
		});
		t.after(() => {
			if (mounted.status === 0) spawnSync('umount', [mount]);
			temp.cleanup();
		});
		if (mounted.status !== 0)
			return t.skip(
				`could not mount a tmpfs (${mounted.stderr.trim() || `exit ${mounted.status}`}): needs root with CAP_SYS_ADMIN`,
			);
		const stateDir = path.join(mount, 'state');
		fs.mkdirSync(stateDir, {mode: 0o700});
		// Fill the disk to the last byte.
		const filler = fs.openSync(path.join(mount, 'filler'), 'w');
		const chunk = Buffer.alloc(4096, 0x61);
		try {
			for (;;) fs.writeSync(filler, chunk);
		} catch (error) {
			assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
		}
		try {
			for (;;) fs.writeSync(filler, chunk, 0, 1);
		} catch (error) {
			assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
		} finally {
			fs.closeSync(filler);
		}
		const server = await startCaptureServer();
		t.after(() => server.close());
		for (const variant of variants) {
			// Bigger than a page, so that no part of it could have fit.
			const body = event(variant.name, {padding: 'p'.repeat(20_000)});
			const before = server.requests.length;
			const result = await runForwarder(variant, {
				env: baseEnv({HOME: temp.dir, MPM_TUI_STATE_DIR: stateDir, MPM_TUI_PORT: String(server.port)}),
				input: body,
			});
			assert.equal(result.code, 0);
			assert.equal(result.stderr, '');
			const requests = await server.waitFor(before + 1);
			assert.equal(requests[before].body.toString('utf8'), body, variant.name);
		}
		await sleep(300);
		assert.equal(server.requests.length, variants.length, 'each event once');
		assert.deepEqual(contents(stateDir), [], 'no copy of stdin, empty or not, left on the full disk');
	});
});

describe('forwarders and a spool directory others can write to, or files planted in it', () => {
	let server: CaptureServer;
	const temp = tempDir('planted');
	let n = 0;
	before(async () => {
		server = await startCaptureServer();
	});
	after(async () => {
		await sleep(300);
		await server.close();
		temp.cleanup();
	});

	for (const variant of variants) {
		test(`${variant.name}: a world-writable (sticky, like /tmp) or group-writable directory is left with nothing; the POST still happens`, async () => {
			for (const mode of [0o1777, 0o770]) {
				const dir = path.join(temp.dir, `shared-${variant.name}-${++n}`);
				fs.mkdirSync(dir);
				fs.chmodSync(dir, mode);
				const log = path.join(temp.dir, `shared-${variant.name}-${n}.log`);
				const spool = path.join(dir, 'spool.ndjson');
				// Server down: nothing may be written there, the event is not spooled (and says why under debug).
				const down = await runForwarder(variant, {
					env: baseEnv({
						HOME: temp.dir,
						MPM_TUI_SPOOL: spool,
						MPM_TUI_PORT: String(await freePort()),
						MPM_TUI_HOOK_LOG: log,
					}),
					input: event('down'),
				});
				assert.equal(down.code, 0);
				assert.equal(down.stdout + down.stderr, '');
				await eventually(
					() => (fs.existsSync(log) && /spooled/.test(fs.readFileSync(log, 'utf8')) ? true : undefined),
					5000,
					'the outcome in the log',
				);
				assert.deepEqual(contents(dir), [], `nothing written in a directory of mode ${mode.toString(8)}`);
				assert.match(fs.readFileSync(log, 'utf8'), /writable by (its group|others|everyone).*not spooled/);
				// Server up: the event is delivered, and still nothing is written there.
				server.requests.length = 0;
				await runForwarder(variant, {
					env: baseEnv({HOME: temp.dir, MPM_TUI_SPOOL: spool, MPM_TUI_PORT: String(server.port)}),
					input: event('up'),
				});
				const [request] = await server.waitFor(1);
				assert.equal(request.body.toString('utf8'), event('up'));
				// Its private copy of stdin lives only while the POST is on its way.
				await eventually(
					() => (contents(dir).length === 0 ? true : undefined),
					5000,
					`nothing left in a directory of mode ${mode.toString(8)}`,
				);
			}
		});

		test(`${variant.name}: a directory that belongs to another user gets nothing; the POST still happens`, async (t) => {
			if (!isRoot) return t.skip('needs root to give a directory to another user');
			const dir = path.join(temp.dir, `theirs-${variant.name}`);
			fs.mkdirSync(dir, {mode: 0o755});
			fs.chownSync(dir, 65534, 65534);
			const spool = path.join(dir, 'spool.ndjson');
			await runForwarder(variant, {
				env: baseEnv({HOME: temp.dir, MPM_TUI_SPOOL: spool, MPM_TUI_PORT: String(await freePort())}),
				input: event('down'),
			});
			server.requests.length = 0;
			await runForwarder(variant, {
				env: baseEnv({HOME: temp.dir, MPM_TUI_SPOOL: spool, MPM_TUI_PORT: String(server.port)}),
				input: event('up'),
			});
			await server.waitFor(1);
			await sleep(200);
			assert.deepEqual(contents(dir), []);
		});

		test(`${variant.name}: links planted at the spool, its lock and its counter are not followed; the files they point to stay as they were`, async () => {
			const dir = path.join(temp.dir, `links-${variant.name}`);
			fs.mkdirSync(dir, {mode: 0o700});
			const spool = path.join(dir, 'spool.ndjson');
			const victims = ['a', 'b', 'c'].map((name) => path.join(temp.dir, `victim-${variant.name}-${name}`));
			for (const victim of victims) fs.writeFileSync(victim, 'precious\n');
			fs.symlinkSync(victims[0], spool);
			fs.symlinkSync(victims[1], `${spool}.lock`);
			fs.symlinkSync(victims[2], `${spool}.dropped`);
			const log = path.join(temp.dir, `links-${variant.name}.log`);
			const result = await runForwarder(variant, {
				env: baseEnv({
					HOME: temp.dir,
					MPM_TUI_SPOOL: spool,
					MPM_TUI_PORT: String(await freePort()),
					MPM_TUI_HOOK_LOG: log,
				}),
				input: event('link'),
			});
			assert.equal(result.code, 0);
			await eventually(
				() =>
					fs.existsSync(log) &&
					/spooled|not a regular file|could not spool/.test(fs.readFileSync(log, 'utf8'))
						? true
						: undefined,
				5000,
				'the outcome in the log',
			);
			await sleep(200);
			for (const victim of victims) assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', victim);
			// A full spool would count the drop through the link: not that either.
			fs.rmSync(spool);
			fs.writeFileSync(spool, 'x'.repeat(100));
			await runForwarder(variant, {
				env: baseEnv({
					HOME: temp.dir,
					MPM_TUI_SPOOL: spool,
					MPM_TUI_SPOOL_MAX_BYTES: '50',
					MPM_TUI_PORT: String(await freePort()),
				}),
				input: event('full'),
			});
			await sleep(300);
			for (const victim of victims) assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', victim);
		});

		test(`${variant.name}: a FIFO planted at the spool path does not hold the forwarder`, async () => {
			const dir = path.join(temp.dir, `fifo-${variant.name}`);
			fs.mkdirSync(dir, {mode: 0o700});
			const spool = path.join(dir, 'spool.ndjson');
			execFileSync('mkfifo', [spool]);
			// In debug mode the sh forwarder does everything in the foreground, so a blocked open would hold it here.
			const started = Date.now();
			const result = await runForwarder(variant, {
				env: baseEnv({
					HOME: temp.dir,
					MPM_TUI_SPOOL: spool,
					MPM_TUI_PORT: String(await freePort()),
					MPM_TUI_HOOK_DEBUG: '1',
				}),
				input: event('fifo'),
				killAfterMs: 4000,
			});
			assert.equal(result.signal, null, 'finished on its own');
			assert.equal(result.code, 0);
			assert.ok(Date.now() - started < 3000);
			assert.match(result.stderr, /not a regular file|could not spool/);
			assert.ok(fs.lstatSync(spool).isFIFO());
		});
	}
});

describe('dropped events counted by many forwarders at once', () => {
	test('the count in <spool>.dropped is exact when Node and sh forwarders drop at the same moment', async (t) => {
		const temp = tempDir('dropped');
		t.after(temp.cleanup);
		const stateDir = path.join(temp.dir, 'state');
		fs.mkdirSync(stateDir, {mode: 0o700});
		const spool = path.join(stateDir, 'spool.ndjson');
		// The spool is over its bound already: every event is dropped and counted.
		fs.writeFileSync(spool, 'x'.repeat(200));
		const env = baseEnv({
			HOME: temp.dir,
			MPM_TUI_STATE_DIR: stateDir,
			MPM_TUI_PORT: String(await freePort()),
			MPM_TUI_SPOOL_MAX_BYTES: '100',
		});
		const node = variants.find((v) => v.name === 'node')!;
		const sh = variants.find((v) => v.name === 'sh')!;
		const runs = [...Array.from({length: 40}, () => node), ...Array.from({length: 20}, () => sh)];
		const results = await Promise.all(
			runs.map((variant, i) => runForwarder(variant, {env, input: event(`drop-${i}`), killAfterMs: 20_000})),
		);
		assert.ok(results.every((r) => r.code === 0));
		const dropped = `${spool}.dropped`;
		// The sh forwarders count in their background part, after they exit: give them time, then compare.
		await eventually(
			() => (spoolDropped(spool) >= runs.length ? true : undefined),
			10_000,
			`${runs.length} drops counted`,
		).catch(() => {});
		await sleep(500);
		assert.ok(fs.existsSync(dropped));
		// What the server reports (spool.droppedByForwarder) and `hooks status` shows.
		assert.equal(spoolDropped(spool), runs.length);
		assert.equal(spoolStatus(spool).dropped, runs.length);
		assert.equal(fs.readFileSync(spool, 'utf8'), 'x'.repeat(200), 'the spool is not grown');
	});
});
