/**
 * An output that fails (a full disk, EIO, a path that cannot be opened) is told with its reason and
 * ends the command with exit 1; only the reader going away (EPIPE, `| head`) is a quiet normal end.
 * The built CLI (dist/cli.js) writing to real files: /dev/full (a real device on which every write
 * fails with ENOSPC), a full tmpfs (as root), a directory, a path under a missing folder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {freePort} from './helpers/free-port.js';
import {hookEvent, postJson, spawnCli, spawnServer, tempDir, withTimeout, CLI} from './helpers/server-kit.js';
import {mountTmpfs} from './helpers/tmpfs.js';

const ENOSPC = /mpm-tui: cannot write (\S+): ENOSPC: no space left on device/;

/** /dev/full, or why it cannot be used here (the test that needs it is then skipped, saying why). */
function devFull(): string | {skip: string} {
	try {
		const fd = fs.openSync('/dev/full', 'a');
		try {
			fs.writeSync(fd, 'x');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return '/dev/full';
			return {skip: `/dev/full fails with ${(error as NodeJS.ErrnoException).code}, not ENOSPC; skipped`};
		} finally {
			fs.closeSync(fd);
		}
		return {skip: '/dev/full accepts writes here; skipped'};
	} catch (error) {
		return {skip: `no /dev/full here (${(error as Error).message}); skipped`};
	}
}

function skipUnless(t: TestContext, full: string | {skip: string}): full is string {
	if (typeof full === 'string') return true;
	t.skip(full.skip);
	return false;
}

/** `--server-only` with `args` (its stdout redirected as `redirect` says), one event posted to it: how it ended. */
async function serverOnlyWithOneEvent(args: string, redirect = '') {
	const proc = spawnCli(
		[],
		{MPM_TUI_STATE_DIR: tempDir()},
		{shell: `exec node "${CLI}" --server-only --port 0 --no-journal ${args} ${redirect}`},
	);
	await proc.waitFor((_, err) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(err), 'the server to listen');
	const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stderr())![1];
	// The event is stored (202) before its line is written; the failed write then stops the server.
	assert.equal((await postJson(url, '/api/events', hookEvent())).status, 202);
	const {code} = await withTimeout(proc.exited, 8000, 'the server to stop');
	return {code, stderr: proc.stderr()};
}

describe('an output that cannot be written', () => {
	test('--server-only --ndjson /dev/full: the reason on stderr, exit 1 (not "was closed", not 0)', async (t) => {
		const full = devFull();
		if (!skipUnless(t, full)) return;
		const {code, stderr} = await serverOnlyWithOneEvent(`--ndjson ${full}`);
		assert.equal(code, 1, stderr);
		assert.equal(ENOSPC.exec(stderr)?.[1], full);
		assert.doesNotMatch(stderr, /was closed/);
		assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
	});

	test('--server-only > /dev/full: the reason on stderr, exit 1, no stack trace', async (t) => {
		const full = devFull();
		if (!skipUnless(t, full)) return;
		const {code, stderr} = await serverOnlyWithOneEvent('', `> ${full}`);
		assert.equal(code, 1, stderr);
		assert.equal(ENOSPC.exec(stderr)?.[1], 'stdout');
		assert.match(stderr, /mpm-tui: stopped/, 'it shut down cleanly');
		assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
	});

	test('--server-only --ndjson on a full tmpfs (a real full disk): ENOSPC told, exit 1', async (t) => {
		const fsys = mountTmpfs(256 * 1024);
		if ('skip' in fsys) return t.skip(fsys.skip);
		try {
			fsys.fill();
			const file = path.join(fsys.dir, 'nd.ndjson');
			const {code, stderr} = await serverOnlyWithOneEvent(`--ndjson ${file}`);
			assert.equal(code, 1, stderr);
			assert.equal(ENOSPC.exec(stderr)?.[1], file);
		} finally {
			fsys.unmount();
		}
	});

	test('--ndjson to a path that cannot be opened: the reason, exit 1, and no server starts', async () => {
		const dir = tempDir();
		for (const [file, reason] of [
			[path.join(dir, 'missing', 'x.ndjson'), /ENOENT: no such file or directory/],
			[dir, /EISDIR/],
		] as const) {
			const proc = spawnCli(['--server-only', '--port', '0', '--no-journal', '--ndjson', file], {
				MPM_TUI_STATE_DIR: tempDir(),
			});
			const {code} = await withTimeout(proc.exited, 8000, 'the CLI to exit');
			assert.equal(code, 1, proc.stderr());
			assert.match(proc.stderr(), new RegExp(`mpm-tui: cannot write ${file}: ${reason.source}`));
			assert.doesNotMatch(proc.stderr(), /listening on/);
		}
	});

	test('server start --ndjson to a bad path: the daemon did not start, and the output says why', async () => {
		const root = tempDir('mpm-tui-daemon-');
		const stateDir = path.join(root, 'state');
		const bad = path.join(root, 'missing', 'x.ndjson');
		const proc = spawnCli(['server', 'start', '--port', String(await freePort()), '--ndjson', bad], {
			HOME: root,
			MPM_TUI_STATE_DIR: stateDir,
		});
		const {code} = await withTimeout(proc.exited, 20_000, 'server start');
		assert.equal(code, 1, proc.stderr());
		assert.match(proc.stderr(), /the daemon did not start \(exit code 1\)/);
		assert.match(proc.stderr(), new RegExp(`cannot write ${bad}: ENOENT`));
		assert.ok(!fs.existsSync(path.join(stateDir, 'server.pid')));
	});

	test('tail > /dev/full: the reason on stderr, exit 1', async (t) => {
		const full = devFull();
		if (!skipUnless(t, full)) return;
		const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
		try {
			await postJson(server.url, '/api/events', hookEvent());
			const tail = spawnCli(
				[],
				{},
				{shell: `exec node "${CLI}" tail --since 0 --port ${server.port} > ${full}`},
			);
			const {code} = await withTimeout(tail.exited, 8000, 'tail to end');
			assert.equal(code, 1, tail.stderr());
			assert.equal(ENOSPC.exec(tail.stderr())?.[1], 'stdout');
		} finally {
			await server.kill();
		}
	});

	test('server logs -f > /dev/full: the reason on stderr, exit 1 (it does not follow on)', async (t) => {
		const full = devFull();
		if (!skipUnless(t, full)) return;
		const stateDir = path.join(tempDir(), 'state');
		fs.mkdirSync(stateDir, {mode: 0o700});
		fs.writeFileSync(path.join(stateDir, 'server.log'), 'a line of the log\n', {mode: 0o600});
		const logs = spawnCli(
			[],
			{MPM_TUI_STATE_DIR: stateDir},
			{shell: `exec node "${CLI}" server logs -f > ${full}`},
		);
		try {
			const {code} = await withTimeout(logs.exited, 8000, 'server logs -f to end');
			assert.equal(code, 1, logs.stderr());
			assert.equal(ENOSPC.exec(logs.stderr())?.[1], 'stdout');
		} finally {
			await logs.kill();
		}
	});
});
