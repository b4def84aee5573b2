/**
 * One bind rule, applied by the server itself (issue 11, item 14): a non-loopback address without
 * a token is refused by `startServer`, whoever calls it: `--server-only`, and the TUI that hosts
 * the server in-process (run in a real pseudo-terminal through tmux), with the flag or the
 * environment variables. Needs the build (dist/cli.js).
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import {UnsafeBindError} from '../source/config.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {spawnCli, tempDir, testConfig, withTimeout} from './helpers/server-kit.js';
import {cliPath, Tmux} from './helpers/tmux-kit.js';

/** Resolves with the connect error's code, or 'connected'. */
function tryConnect(port: number, host = '127.0.0.1'): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, host, () => {
			socket.destroy();
			resolve('connected');
		});
		socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
	});
}

describe('startServer refuses a non-loopback bind without a token', () => {
	for (const host of ['0.0.0.0', '::']) {
		test(`${host}: UnsafeBindError with one line, nothing opened, nothing listening`, async () => {
			const port = await freePort();
			const config = testConfig({host, port});
			await assert.rejects(startServer(config), (error: unknown) => {
				assert.ok(error instanceof UnsafeBindError);
				assert.equal(
					error.message,
					`refusing to listen on ${host} without a token: anyone on that network could read your prompts and files. Set --token or MPM_TUI_TOKEN, or bind to 127.0.0.1.`,
				);
				return true;
			});
			assert.equal(await tryConnect(port), 'ECONNREFUSED');
			assert.equal(fs.existsSync(config.journal!), false, 'the journal was not opened');
		});
	}

	test('with a token it listens on all interfaces', async () => {
		const port = await freePort();
		const server = await startServer(testConfig({host: '0.0.0.0', port, token: 'tok', journal: false}));
		try {
			assert.equal(await tryConnect(port), 'connected');
		} finally {
			await server.close();
		}
	});
});

describe('every mode that hosts the server refuses the bind', () => {
	const tmux = new Tmux();
	const dirs: string[] = [];
	before(() => {
		if (!fs.existsSync(cliPath)) throw new Error('build first: npm run build');
	});
	after(() => {
		tmux.kill();
		for (const dir of dirs) fs.rmSync(dir, {recursive: true, force: true});
	});

	const forms: Array<{name: string; args: string[]; env: Record<string, string>}> = [
		{name: 'flag', args: ['--host', '0.0.0.0'], env: {}},
		{name: 'mpm-env', args: [], env: {MPM_TUI_HOST: '0.0.0.0'}},
		{name: 'claude-env', args: [], env: {CLAUDE_MPM_BIND_HOST: '0.0.0.0'}},
	];
	for (const form of forms) {
		test(`the TUI (${form.name === 'flag' ? '--host 0.0.0.0' : Object.keys(form.env)[0] + '=0.0.0.0'}) exits 2 with the one-line reason and hosts nothing`, async () => {
			const dir = tempDir();
			dirs.push(dir);
			const port = await freePort();
			const env = {
				CI: 'false',
				MPM_TUI_STATE_DIR: dir,
				HOME: dir,
				TERM: 'xterm-256color',
				NODE_ENV: 'production',
				PATH: process.env.PATH ?? '',
				MPM_TUI_TOKEN: '',
				CLAUDE_MPM_SOCKETIO_TOKEN: '',
				...form.env,
			};
			const pane = tmux.open(
				form.name,
				[process.execPath, cliPath, '--port', String(port), ...form.args],
				env,
				{columns: 200, rows: 20},
			);
			const code = await pane.waitExit(15_000);
			const lines = pane
				.captureJoined()
				.split('\n')
				.filter((line) => line.trim() !== '');
			assert.equal(code, 2, lines.join('\n'));
			assert.deepEqual(
				lines.filter((line) => line.startsWith('mpm-tui:')),
				[
					`mpm-tui: refusing to listen on 0.0.0.0 without a token: anyone on that network could read your prompts and files. Set --token or MPM_TUI_TOKEN, or bind to 127.0.0.1.`,
				],
			);
			assert.equal(fs.existsSync(`${dir}/journal.ndjson`), false, 'no server started');
		});
	}

	test('--server-only with MPM_TUI_HOST=0.0.0.0 exits 2 with the one-line reason', async () => {
		const proc = spawnCli(['--server-only', '--no-journal', '--port', '0'], {
			MPM_TUI_STATE_DIR: tempDir(),
			MPM_TUI_HOST: '0.0.0.0',
		});
		const {code} = await withTimeout(proc.exited, 8000, 'exit');
		assert.equal(code, 2);
		assert.equal(
			proc.stderr(),
			'mpm-tui: refusing to listen on 0.0.0.0 without a token: anyone on that network could read your prompts and files. Set --token or MPM_TUI_TOKEN, or bind to 127.0.0.1.\n',
		);
		assert.equal(proc.stdout(), '');
	});

	test('server start --host 0.0.0.0: the daemon exits 2 with the reason, server start says so and exits 1 (configuration.md)', async () => {
		const dir = tempDir();
		const port = await freePort();
		const proc = spawnCli(['server', 'start', '--host', '0.0.0.0', '--port', String(port), '--no-journal'], {
			MPM_TUI_STATE_DIR: dir,
		});
		const {code} = await withTimeout(proc.exited, 20_000, 'server start to exit');
		assert.equal(code, 1);
		assert.match(proc.stderr(), /^mpm-tui: the daemon did not start \(exit code 2\):\n/);
		assert.match(proc.stderr(), /refusing to listen on 0\.0\.0\.0 without a token: /);
		assert.equal(fs.existsSync(`${dir}/server.pid`), false);
		assert.equal(await tryConnect(port), 'ECONNREFUSED');
	});
});
