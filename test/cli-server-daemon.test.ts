/**
 * `mpm-tui server start|stop|status|restart|logs` as processes of the built CLI (dist/cli.js) on
 * free loopback ports, each test with its own state dir, HOME and XDG_STATE_HOME.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {resolveConfig} from '../source/config.js';
import {hostOrConnect} from '../source/commands/host-or-connect.js';
import {rotateIfFull} from '../source/daemon/log-file.js';
import {readPidFile} from '../source/daemon/pid-file.js';
import {processStart} from '../source/server/state-dir.js';
import {freePort} from './helpers/free-port.js';
import {CLI, hookEvent, postJson, spawnCli, tempDir, withTimeout} from './helpers/server-kit.js';
import {RedisServer, redisMissing} from './helpers/redis-server.js';

interface Ran {
	code: number | null;
	stdout: string;
	stderr: string;
}

interface Place {
	dir: string;
	env: Record<string, string>;
	port: number;
}

const places: Place[] = [];
const others: ChildProcess[] = [];

async function place(): Promise<Place> {
	const root = tempDir('mpm-tui-daemon-');
	const dir = path.join(root, 'state');
	const env = {
		HOME: root,
		XDG_STATE_HOME: path.join(root, 'xdg'),
		MPM_TUI_STATE_DIR: dir,
		MPM_TUI_TOKEN: '',
		CLAUDE_MPM_SOCKETIO_TOKEN: '',
		MPM_TUI_PORT: '',
		NODE_ENV: 'production',
	};
	const p = {dir, env, port: await freePort()};
	places.push(p);
	return p;
}

function run(p: Place, args: string[]): Promise<Ran> {
	return withTimeout(
		new Promise<Ran>((resolve) => {
			const child = spawn(process.execPath, [CLI, ...args], {
				env: {...process.env, ...p.env},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			child.on('close', (code) => resolve({code, stdout, stderr}));
		}),
		30_000,
		`mpm-tui ${args.join(' ')}`,
	);
}

const server = (p: Place, ...args: string[]) => run(p, ['server', ...args, '--port', String(p.port)]);

/** Signal 0 reaches it, and it is not a zombie (the daemons' parent is init, which may reap late). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	return procState(pid) !== 'Z';
}

function procState(pid: number): string {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	} catch {
		return '';
	}
}

// Whatever a failed test left running: the daemons its PID files name (checked to be ours), other helpers.
after(() => {
	for (const p of places) {
		const record = readPidFile(path.join(p.dir, 'server.pid'));
		if (record && alive(record.pid) && processStart(record.pid) === record.procStart)
			process.kill(record.pid, 'SIGKILL');
	}
	for (const child of others) child.kill('SIGKILL');
});

function pidOf(p: Place): number {
	const record = readPidFile(path.join(p.dir, 'server.pid'));
	assert.ok(record, 'the PID file is there');
	return record.pid;
}

describe('mpm-tui server (daemon)', () => {
	test('start, status, restart, stop as processes; stop flushes the journal; status exit codes', async () => {
		const p = await place();
		const started = await server(p, 'start');
		assert.equal(started.code, 0, started.stderr);
		assert.match(started.stdout, new RegExp(`started: pid \\d+, http://127\\.0\\.0\\.1:${p.port}`));
		const pid = pidOf(p);
		const record = readPidFile(path.join(p.dir, 'server.pid'))!;
		assert.equal(record.port, p.port);
		assert.equal(record.procStart, processStart(pid));

		const url = `http://127.0.0.1:${p.port}`;
		for (let i = 0; i < 3; i++)
			assert.equal((await postJson(url, '/api/events', hookEvent(), {'X-Mpm-Id': `d-${i}`})).status, 202);
		const status = await server(p, 'status');
		assert.equal(status.code, 0);
		assert.match(status.stdout, new RegExp(`running: pid ${pid}, ${url}, up \\d+s`));
		assert.match(status.stdout, /events 3 \(last seq 3\)/);
		assert.match(status.stdout, /clients 0/);
		assert.match(status.stdout, /spool backlog 0 B/);

		const restarted = await server(p, 'restart');
		assert.equal(restarted.code, 0, restarted.stderr);
		assert.match(restarted.stdout, new RegExp(`stopped \\(pid ${pid}\\)`));
		const second = pidOf(p);
		assert.notEqual(second, pid);
		assert.equal(alive(pid), false);
		assert.equal((await postJson(url, '/api/events', hookEvent(), {'X-Mpm-Id': 'd-3'})).status, 202);

		const stopped = await server(p, 'stop');
		assert.equal(stopped.code, 0, stopped.stderr);
		assert.match(stopped.stdout, new RegExp(`stopped \\(pid ${second}\\)`));
		assert.equal(alive(second), false);
		assert.equal(fs.existsSync(path.join(p.dir, 'server.pid')), false);
		const journal = fs.readFileSync(path.join(p.dir, 'journal.ndjson'), 'utf8').trim().split('\n');
		assert.deepEqual(
			journal.map((line) => (JSON.parse(line) as {id: string}).id),
			['d-0', 'd-1', 'd-2', 'd-3'],
		);

		const after = await server(p, 'status');
		assert.equal(after.code, 3);
		assert.match(after.stdout, /^stopped/);
		assert.equal((await server(p, 'stop')).code, 0, 'stop when stopped is not an error');

		const logs = await server(p, 'logs');
		assert.equal(logs.code, 0);
		assert.match(logs.stdout, new RegExp(`listening on ${url}`));
		assert.match(logs.stdout, /stopping \(SIGTERM\)/);
		const last = await server(p, 'logs', '--lines', '1');
		assert.equal(last.stdout.trim().split('\n').length, 1);
		assert.match(last.stdout, /stopped$/m);
		const none = await server(p, 'logs', '--lines', '0');
		assert.deepEqual([none.code, none.stdout], [0, ''], 'as tail -n 0');
	});

	test('a bad --lines or --timeout is refused with the reason (exit 2), nothing started or stopped', async () => {
		const p = await place();
		for (const [args, reason] of [
			[['logs', '--lines', 'abc'], /--lines must be a whole number from 0, got "abc"/],
			[['logs', '--lines', '-3'], /--lines must be a whole number from 0, got "-3"/],
			[['logs', '--lines', '2.5'], /--lines must be a whole number from 0, got "2\.5"/],
			[['start', '--timeout', 'abc'], /--timeout must be a number of seconds above 0, got "abc"/],
			[['stop', '--timeout', '-5'], /--timeout must be a number of seconds above 0, got "-5"/],
			[['restart', '--timeout', '0'], /--timeout must be a number of seconds above 0, got "0"/],
		] as const) {
			const r = await server(p, ...args);
			assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, reason);
		}
		assert.equal((await server(p, 'status')).code, 3, 'nothing was started');
	});

	test('logs before any start: exit 1 and says so', async () => {
		const p = await place();
		const logs = await server(p, 'logs');
		assert.equal(logs.code, 1);
		assert.match(logs.stderr, /no log yet/);
	});

	test('logs on a log that is there but cannot be read (a symlink loop): the reason, exit 1, also with --follow', async () => {
		const p = await place();
		fs.mkdirSync(p.dir, {recursive: true, mode: 0o700});
		// Opening it fails with ELOOP for anyone, root included.
		fs.symlinkSync('server.log', path.join(p.dir, 'server.log'));
		for (const args of [['logs'], ['logs', '--follow']]) {
			const logs = await server(p, ...args);
			assert.equal(logs.code, 1, `${args.join(' ')}: ${logs.stderr}`);
			assert.match(logs.stderr, /cannot read the log \S+server\.log: ELOOP/);
			assert.doesNotMatch(logs.stderr, /no log yet/);
		}
	});

	test('logs on a log its user may not read (EACCES): the reason, exit 1, also with --follow (no wait)', async (t) => {
		const root = tempDir('mpm-tui-daemon-');
		const dir = path.join(root, 'state');
		fs.mkdirSync(dir, {mode: 0o700});
		const log = path.join(dir, 'server.log');
		fs.writeFileSync(log, 'a line\n', {mode: 0o600});
		const env = {MPM_TUI_STATE_DIR: dir, HOME: root, NODE_ENV: 'production', MPM_TUI_PORT: ''};
		// Root reads any file: as root, the CLI runs as nobody (as the QA pass did).
		let command = [process.execPath, CLI];
		if (process.getuid?.() === 0) {
			const asNobody = [
				'runuser',
				'-u',
				'nobody',
				'--',
				'env',
				...Object.entries(env).map(([k, v]) => `${k}=${v}`),
			];
			const probe = spawnSync(asNobody[0], [...asNobody.slice(1), process.execPath, CLI, '--version'], {
				encoding: 'utf8',
			});
			if (probe.status !== 0)
				return t.skip(
					`root reads any file, and the CLI cannot run as nobody here (${(probe.error?.message ?? probe.stderr).trim()}); skipped`,
				);
			for (const d of [root, dir]) fs.chownSync(d, 65534, 65534);
			fs.chownSync(log, 65534, 65534);
			command = [...asNobody, ...command];
		}
		fs.chmodSync(log, 0o000);
		for (const args of [['logs'], ['logs', '--follow']]) {
			const logs = spawnSync(command[0], [...command.slice(1), 'server', ...args], {
				env: {...process.env, ...env},
				encoding: 'utf8',
				timeout: 10_000,
			});
			assert.equal(logs.status, 1, `${args.join(' ')}: ${logs.stderr}`);
			assert.match(logs.stderr, /cannot read the log \S+server\.log: EACCES: permission denied/);
			assert.doesNotMatch(logs.stderr, /no log yet/);
		}
	});

	test('a PID file naming a dead pid is stale: status 1, stop removes it, start replaces it', async () => {
		const p = await place();
		const dead = spawn(process.execPath, ['-e', '']);
		await new Promise((resolve) => dead.on('close', resolve));
		fs.mkdirSync(p.dir, {recursive: true, mode: 0o700});
		const pidFile = path.join(p.dir, 'server.pid');
		const stale = {
			pid: dead.pid,
			procStart: 1,
			url: `http://127.0.0.1:${p.port}`,
			port: p.port,
			startedAt: 1,
		};
		fs.writeFileSync(pidFile, JSON.stringify(stale));
		const status = await server(p, 'status');
		assert.equal(status.code, 1);
		assert.match(status.stdout, new RegExp(`stale PID file .*pid ${dead.pid} is not running`));
		const stopped = await server(p, 'stop');
		assert.equal(stopped.code, 0);
		assert.match(stopped.stdout, /removed a stale PID file/);
		assert.equal(fs.existsSync(pidFile), false);

		fs.writeFileSync(pidFile, JSON.stringify(stale));
		const started = await server(p, 'start');
		assert.equal(started.code, 0, started.stderr);
		assert.match(started.stdout, /removed a stale PID file/);
		assert.notEqual(pidOf(p), dead.pid);
		assert.equal((await server(p, 'stop')).code, 0);
	});

	test('a PID file naming a zombie (exited, not reaped) is stale, not running', async () => {
		const p = await place();
		// `sleep` becomes the parent of the exited subshell and never reaps it.
		const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], {
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		others.push(parent);
		const pid = Number(
			await new Promise<string>((resolve) =>
				parent.stdout.once('data', (d: Buffer) => resolve(d.toString())),
			),
		);
		const state = () => procState(pid);
		for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		assert.equal(state(), 'Z');
		fs.mkdirSync(p.dir, {recursive: true, mode: 0o700});
		const url = `http://127.0.0.1:${p.port}`;
		fs.writeFileSync(
			path.join(p.dir, 'server.pid'),
			JSON.stringify({pid, procStart: processStart(pid), url, port: p.port, startedAt: 1}),
		);
		const status = await server(p, 'status');
		assert.equal(status.code, 1, status.stdout);
		assert.match(status.stdout, new RegExp(`pid ${pid} is not running`));
	});

	test('a PID file naming a live process that is not the daemon: never signalled', async () => {
		const p = await place();
		const stranger = spawn('sleep', ['60'], {stdio: 'ignore'});
		others.push(stranger);
		const pid = stranger.pid!;
		await new Promise((resolve) => stranger.on('spawn', resolve));
		fs.mkdirSync(p.dir, {recursive: true, mode: 0o700});
		const pidFile = path.join(p.dir, 'server.pid');
		const url = `http://127.0.0.1:${p.port}`;
		// Its pid reused (the start time differs), and one without a start time that /health does not vouch for.
		for (const procStart of [processStart(pid) + 1, 0]) {
			fs.writeFileSync(pidFile, JSON.stringify({pid, procStart, url, port: p.port, startedAt: 1}));
			const status = await server(p, 'status');
			assert.equal(status.code, 1, status.stdout);
			assert.match(status.stdout, /stale PID file/);
			const stopped = await server(p, 'stop');
			assert.equal(stopped.code, 0);
			assert.match(stopped.stdout, /removed a stale PID file/);
			assert.equal(alive(pid), true, 'the stranger is still alive');
			assert.equal(fs.existsSync(pidFile), false);
		}
	});

	test('three starts at once: exactly one daemon; the others name it', async () => {
		const p = await place();
		const ran = await Promise.all([server(p, 'start'), server(p, 'start'), server(p, 'start')]);
		for (const r of ran) assert.equal(r.code, 0, r.stderr);
		const pid = pidOf(p);
		const outs = ran.map((r) => r.stdout);
		assert.equal(outs.filter((out) => out.includes(`started: pid ${pid}`)).length, 1, outs.join('|'));
		assert.equal(outs.filter((out) => out.includes(`already running: pid ${pid}`)).length, 2, outs.join('|'));
		const health = (await (await fetch(`http://127.0.0.1:${p.port}/health`)).json()) as {pid: number};
		assert.equal(health.pid, pid);
		assert.equal((await server(p, 'stop')).code, 0);
	});

	test('start fails when another program holds the port: exit 1 with the reason from the log', async () => {
		const p = await place();
		const squatter = net.createServer((socket) => socket.destroy());
		await new Promise<void>((resolve) => squatter.listen(p.port, '127.0.0.1', resolve));
		try {
			const started = await server(p, 'start', '--timeout', '10');
			assert.equal(started.code, 1);
			assert.match(started.stderr, /did not start/);
			assert.match(
				started.stderr,
				new RegExp(`port ${p.port} on 127\\.0\\.0\\.1 is already in use by another program`),
			);
			assert.equal(fs.existsSync(path.join(p.dir, 'server.pid')), false);
			assert.equal((await server(p, 'status')).code, 3);
		} finally {
			await new Promise((resolve) => squatter.close(resolve));
		}
	});

	test('start while a foreground server holds the state dir: exit 1 naming it', async () => {
		const p = await place();
		const foreground = spawn(process.execPath, [CLI, '--server-only', '--port', String(p.port)], {
			env: {...process.env, ...p.env},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		others.push(foreground);
		let log = '';
		await withTimeout(
			new Promise<void>((resolve) =>
				foreground.stderr.on('data', (d: Buffer) => {
					log += d.toString();
					if (log.includes('listening on')) resolve();
				}),
			),
			10_000,
			'the foreground server',
		);
		const started = await run(p, ['server', 'start', '--port', '0']);
		assert.equal(started.code, 1, started.stdout);
		assert.match(started.stderr, new RegExp(`another mpm-tui server \\(pid ${foreground.pid}, listening on`));
		assert.equal(fs.existsSync(path.join(p.dir, 'server.pid')), false);
		foreground.kill('SIGTERM');
	});

	test('stop is forceful after its timeout when the daemon does not stop', async () => {
		const p = await place();
		assert.equal((await server(p, 'start')).code, 0);
		const pid = pidOf(p);
		process.kill(pid, 'SIGSTOP');
		const stopped = await server(p, 'stop', '--timeout', '1');
		assert.equal(stopped.code, 0, stopped.stderr);
		assert.match(stopped.stderr, /did not stop within 1 s; killing it/);
		assert.match(stopped.stdout, new RegExp(`killed \\(pid ${pid}\\)`));
		assert.equal(alive(pid), false);
		assert.equal(fs.existsSync(path.join(p.dir, 'server.pid')), false);
	});

	test('the TUI connects to the running daemon instead of hosting (host-or-connect)', async () => {
		const p = await place();
		assert.equal((await server(p, 'start')).code, 0);
		try {
			const config = resolveConfig({port: p.port}, {MPM_TUI_STATE_DIR: tempDir()}, tempDir());
			const link = await hostOrConnect(config, () => {});
			assert.equal(link.kind, 'client');
			assert.deepEqual(link, {kind: 'client', url: `http://127.0.0.1:${p.port}`, flavor: 'mpm-tui'});
		} finally {
			assert.equal((await server(p, 'stop')).code, 0);
		}
	});
});

describe('mpm-tui server logs --follow', () => {
	const follow = (p: Place, ...args: string[]) =>
		spawnCli(['server', 'logs', '--follow', ...args, '--port', String(p.port)], p.env);
	/** The lines printed so far (each with its newline: a line counts once it is complete). */
	const printed = (stdout: string) => stdout.split('\n').slice(0, -1);

	test("the last lines, then the daemon's new ones as they are written; SIGTERM and SIGINT end it with 0", async () => {
		const p = await place();
		assert.equal((await server(p, 'start')).code, 0);
		const log = path.join(p.dir, 'server.log');
		const before = fs.readFileSync(log, 'utf8').trim().split('\n');
		const f = follow(p, '--lines', '2');
		try {
			await f.waitFor((out) => printed(out).length >= 2, 'the last two lines');
			assert.deepEqual(printed(f.stdout()), before.slice(-2));
			assert.equal((await server(p, 'stop')).code, 0);
			await f.waitFor((out) => /stopped$/m.test(out), 'the daemon\'s "stopped" line');
			const all = fs.readFileSync(log, 'utf8').trim().split('\n');
			assert.ok(all.length > before.length, 'the daemon wrote while stopping');
			assert.deepEqual(printed(f.stdout()), all.slice(before.length - 2));
			assert.match(f.stdout(), /stopping \(SIGTERM\)/);
			f.child.kill('SIGTERM');
			assert.deepEqual(await withTimeout(f.exited, 5000, 'the follow to end'), {code: 0, signal: null});
		} finally {
			await f.kill();
		}
		const g = follow(p, '-f', '--lines', '1');
		await g.waitFor((out) => printed(out).length >= 1, 'the last line');
		g.child.kill('SIGINT');
		assert.deepEqual(await withTimeout(g.exited, 5000, 'the follow to end'), {code: 0, signal: null});
	});

	test('waits for a log not there yet; survives rotations, also several between two looks; shows controls', async () => {
		const p = await place();
		const log = path.join(p.dir, 'server.log');
		const f = follow(p);
		try {
			await f.waitFor((_out, err) => /no log yet .*waiting for it/.test(err), 'the wait for the log');
			const written: string[] = [];
			let n = 0;
			const write = (count: number) => {
				const lines = Array.from({length: count}, () => `line ${++n} ${'x'.repeat(n % 7)}`);
				fs.appendFileSync(log, lines.map((line) => `${line}\n`).join(''));
				written.push(...lines);
			};
			const seenAll = () =>
				f.waitFor((out) => printed(out).length >= written.length, `${written.length} lines`);
			fs.mkdirSync(p.dir, {recursive: true});
			write(3);
			await seenAll();
			// One rotation, as log-file.ts does it, with lines before and after it.
			write(2);
			assert.equal(rotateIfFull(log, 0), true);
			write(2);
			await seenAll();
			// Stopped while the log rotates 3 times (its file is then server.log.3), then 4 times (it is
			// gone from the directory; the rest of it is read through the open file).
			for (const rotations of [3, 4]) {
				process.kill(f.child.pid!, 'SIGSTOP');
				try {
					for (let i = 0; i < rotations; i++) {
						write(2);
						rotateIfFull(log, 0);
					}
					write(1);
				} finally {
					process.kill(f.child.pid!, 'SIGCONT');
				}
				await seenAll();
			}
			// A line that would drive the terminal: ESC, BEL, CR, a C1 CSI and a bidi override.
			fs.appendFileSync(log, 'evil \x1b[2J\x07\r\u009b31m\u202e end\n');
			written.push('evil \u241b[2J\u2407\u240d\ufffd31m\ufffd end');
			await seenAll();
			assert.deepEqual(printed(f.stdout()), written);
			f.child.kill('SIGTERM');
			assert.deepEqual(await withTimeout(f.exited, 5000, 'the follow to end'), {code: 0, signal: null});
		} finally {
			await f.kill();
		}
	});

	test('piped into a reader that goes away (| head -n 1): exit 0', async () => {
		const p = await place();
		const log = path.join(p.dir, 'server.log');
		fs.mkdirSync(p.dir, {recursive: true});
		fs.writeFileSync(log, 'first\nsecond\n');
		const f = spawnCli([], p.env, {
			shell: `{ "${process.execPath}" "${CLI}" server logs -f; echo "follow exit $?" >&2; } | head -n 1`,
		});
		try {
			await f.waitFor((out) => out === 'first\n', 'the first line');
			// head has gone after its line; the next write meets the closed pipe.
			const writer = setInterval(() => fs.appendFileSync(log, 'more\n'), 100);
			try {
				await f.waitFor((_out, err) => /follow exit \d+/.test(err), 'the follow to end');
			} finally {
				clearInterval(writer);
			}
			assert.match(f.stderr(), /^follow exit 0$/m);
			assert.deepEqual(await withTimeout(f.exited, 5000, 'the shell to end'), {code: 0, signal: null});
		} finally {
			await f.kill();
		}
	});
});

describe('mpm-tui server unit --redis', {skip: redisMissing() ?? false}, () => {
	/** The systemd unit's ExecStart words and Environment variables (the quoting systemdWord writes, as systemd reads it). */
	function parseUnit(text: string): {argv: string[]; env: Record<string, string>} {
		const words = (line: string) =>
			[...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
				(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]).replaceAll('%%', '%'),
			);
		const exec = /^ExecStart=(.*)$/m.exec(text);
		assert.ok(exec, 'an ExecStart line');
		const env: Record<string, string> = {};
		for (const m of text.matchAll(/^Environment=(.*)$/gm)) {
			const [word] = words(m[1]);
			const eq = word.indexOf('=');
			env[word.slice(0, eq)] = word.slice(eq + 1);
		}
		return {argv: words(exec[1]), env};
	}

	/** Runs the unit as systemd would (its command, its environment) until its log says it runs; returns the log. */
	async function runUnit(p: Place, text: string): Promise<string> {
		const {argv, env} = parseUnit(text);
		const child = spawn(argv[0], argv.slice(1), {
			env: {PATH: process.env.PATH ?? '', HOME: p.env.HOME, ...env},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		others.push(child);
		// The daemon writes its log into the state dir (StandardOutput=null); stderr would be the journal's.
		let log = '';
		child.stderr.resume();
		try {
			await withTimeout(
				new Promise<void>((resolve) => {
					const look = setInterval(() => {
						try {
							log = fs.readFileSync(path.join(env.MPM_TUI_STATE_DIR, 'server.log'), 'utf8');
						} catch {
							// Not written yet.
						}
						if (/team: connected|listening|\bon http/.test(log) || child.exitCode !== null) {
							clearInterval(look);
							resolve();
						}
					}, 50);
				}),
				15_000,
				'the unit to start',
			);
			await new Promise((resolve) => setTimeout(resolve, 300));
			return log;
		} finally {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('close', resolve));
		}
	}

	test('a URL without a password: the unit runs the server in team mode', async () => {
		const redis = await RedisServer.start();
		try {
			const p = await place();
			const printed = await run(p, [
				'server',
				'unit',
				'--format',
				'systemd',
				'--port',
				String(p.port),
				'--redis',
				redis.url,
			]);
			assert.equal(printed.code, 0, printed.stderr);
			assert.match(printed.stdout, /^Environment=MPM_TUI_REDIS_URL=redis:\/\/127\.0\.0\.1:\d+\/?$/m);
			assert.equal(printed.stderr, '');
			const launchd = await run(p, ['server', 'unit', '--format', 'launchd', '--redis', redis.url]);
			assert.match(
				launchd.stdout,
				/<key>MPM_TUI_REDIS_URL<\/key><string>redis:\/\/127\.0\.0\.1:\d+\/?<\/string>/,
			);
			fs.mkdirSync(p.dir, {recursive: true, mode: 0o700});
			assert.match(
				await runUnit(p, printed.stdout),
				new RegExp(`team: connected to Redis at redis://127\\.0\\.0\\.1:${redis.port}`),
			);
		} finally {
			await redis.stop();
		}
	});

	test('a URL with a password: never printed; the comment and stderr say where to put it', async () => {
		const p = await place();
		const url = 'redis://team:hunter2-s3cret@127.0.0.1:6390/2';
		for (const format of ['systemd', 'launchd']) {
			const printed = await run(p, ['server', 'unit', '--format', format, '--redis', url]);
			assert.equal(printed.code, 0, printed.stderr);
			assert.doesNotMatch(printed.stdout + printed.stderr, /hunter2/);
			assert.match(
				printed.stdout,
				/Team mode: its Redis URL holds a password and is not written here: .*MPM_TUI_REDIS_URL.*redis:\/\/team:\*\*\*@127\.0\.0\.1:6390\/2/,
			);
			assert.match(
				printed.stderr,
				/team mode: the Redis URL holds a password, so it is not written into the service file/,
			);
		}
	});
});
