/**
 * The command line itself (the built dist/cli.js, an isolated HOME and state dir): `--help`
 * wherever it stands, and how flags are read. Needs the build.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {describe, test} from 'node:test';
import {freePort} from './helpers/free-port.js';
import {joinDashValues} from '../source/cli-args.js';
import {
	hookEvent,
	postJson,
	request,
	spawnCli,
	spawnServer,
	tempDir,
	withTimeout,
} from './helpers/server-kit.js';

/** An isolated home and state dir, and the port a server there would use. */
async function sandbox(): Promise<{
	home: string;
	stateDir: string;
	env: Record<string, string>;
	port: number;
}> {
	const home = tempDir();
	const stateDir = tempDir();
	const port = await freePort();
	const env = {
		HOME: home,
		XDG_CONFIG_HOME: path.join(home, '.config'),
		MPM_TUI_STATE_DIR: stateDir,
		MPM_TUI_PORT: String(port),
	};
	return {home, stateDir, env, port};
}

async function run(args: string[], env: Record<string, string>) {
	const proc = spawnCli(args, env);
	proc.child.stdin!.end();
	const {code} = await withTimeout(proc.exited, 8000, `mpm-tui ${args.join(' ')} to exit`).catch(
		async (error) => {
			await proc.kill();
			throw error;
		},
	);
	return {code, stdout: proc.stdout(), stderr: proc.stderr()};
}

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

describe('--help anywhere prints the help and does nothing else', () => {
	const forms = [
		['hooks', 'install', '--help'],
		['hooks', 'install', '--scope', 'user', '--help'],
		['server', 'start', '--help'],
		['tail', '--help'],
		['emit', '--help'],
		['hooks', '--help'],
		['--port', '1', '--help'],
		['--server-only', '--help'],
	];
	for (const args of forms) {
		test(`mpm-tui ${args.join(' ')}: the help on stdout, exit 0, nothing written or started`, async () => {
			const box = await sandbox();
			// A server there, so that `tail` would connect and keep running if it ran.
			const server = args[0] === 'tail' ? await spawnServer({MPM_TUI_STATE_DIR: tempDir()}) : null;
			const env = server ? {...box.env, MPM_TUI_PORT: String(server.port)} : box.env;
			try {
				const result = await run(args, env);
				assert.equal(result.code, 0, result.stderr);
				assert.match(result.stdout, /^\s+Usage\n\s+\$ mpm-tui /m);
				assert.equal(result.stderr, '');
				assert.equal(
					fs.existsSync(path.join(box.home, '.claude', 'settings.json')),
					false,
					'no settings written',
				);
				assert.deepEqual(fs.readdirSync(box.stateDir), [], 'nothing in the state dir (no daemon, no lock)');
				assert.equal(await listening(box.port), false, 'nothing listens on the port');
			} finally {
				await server?.kill();
				// Had a daemon been started after all, stop it (the assertion above has failed then).
				if (fs.existsSync(path.join(box.stateDir, 'server.pid'))) await run(['server', 'stop'], box.env);
			}
		});
	}

	test('a "--help" after "--" is an argument, not the flag', async () => {
		const box = await sandbox();
		const result = await run(['emit', '--', '--help'], box.env);
		assert.equal(result.code, 1);
		assert.match(result.stderr, /no server answers at/);
	});

	test('the help names where the journal goes by default as the program finds it (state dir variables)', async () => {
		const box = await sandbox();
		const result = await run(['--help'], box.env);
		assert.match(
			result.stdout,
			/--journal PATH +journal file \(default journal\.ndjson in the state dir: \$MPM_TUI_STATE_DIR,\n +else \$XDG_STATE_HOME\/mpm-tui, else ~\/\.local\/state\/mpm-tui\)/,
		);
	});

	test('--version anywhere prints the version only', async () => {
		const box = await sandbox();
		const result = await run(['tail', '--version'], box.env);
		assert.equal(result.code, 0);
		assert.equal(result.stdout, `${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}\n`);
	});
});

describe('a flag given twice is a usage error in one line', () => {
	const forms: Array<[string[], string]> = [
		[['--server-only', '--port', '1', '--port', '2'], '--port'],
		[['tail', '--filter', 'a', '--filter', 'b'], '--filter'],
		[['--server-only', '--history-bytes', '1M', '--history-bytes', '2M'], '--history-bytes'],
		[['emit', '--token', 'a', '--token', 'b', '{}'], '--token'],
	];
	for (const [args, flag] of forms) {
		test(`mpm-tui ${args.join(' ')}: exit 2, nothing started or written`, async () => {
			const box = await sandbox();
			const result = await run(args, box.env);
			assert.equal(result.code, 2);
			assert.equal(result.stderr, `mpm-tui: ${flag} was given more than once: give it once\n`);
			assert.equal(result.stdout, '');
			assert.deepEqual(fs.readdirSync(box.stateDir), []);
		});
	}
});

describe('a flag that takes a value, given an empty one, is refused', () => {
	const forms: Array<[string[], string]> = [
		[['--server-only', '--token', ''], '--token'],
		[['--server-only', '--token'], '--token'],
		[['--server-only', '--host', ''], '--host'],
		[['--server-only', '--journal', ''], '--journal'],
		[['tail', '--filter', ''], '--filter'],
		[['hooks', 'install', '--scope', ''], '--scope'],
	];
	for (const [args, flag] of forms) {
		test(`mpm-tui ${args.map((a) => (a === '' ? "''" : a)).join(' ')}: exit 2, nothing started or written`, async () => {
			const box = await sandbox();
			const result = await run(args, box.env);
			assert.equal(result.code, 2);
			assert.equal(result.stderr, `mpm-tui: ${flag} needs a value\n`);
			assert.deepEqual(fs.readdirSync(box.stateDir), []);
			assert.equal(await listening(box.port), false);
			assert.equal(fs.existsSync(path.join(box.home, '.claude')), false);
		});
	}
});

describe('a value may begin with "-"', () => {
	test('the value after a flag that takes one is its value, as getopt has it; "--x" and "--" are left alone', () => {
		const values = new Set(['filter', 'port']);
		assert.deepEqual(joinDashValues(['tail', '--filter', '-type:Stop'], values), [
			'tail',
			'--filter=-type:Stop',
		]);
		assert.deepEqual(joinDashValues(['--port', '-1', '-f'], values), ['--port=-1', '-f']);
		assert.deepEqual(joinDashValues(['--filter', '--port', '2'], values), ['--filter', '--port', '2']);
		assert.deepEqual(joinDashValues(['--demo', '-x'], values), ['--demo', '-x'], 'not a value flag');
		assert.deepEqual(joinDashValues(['emit', '--', '--filter', '-x'], values), [
			'emit',
			'--',
			'--filter',
			'-x',
		]);
		assert.deepEqual(joinDashValues(['--filter'], values), ['--filter']);
	});

	for (const form of [['--filter', '-type:Stop'], ['--filter=-type:Stop']]) {
		test(`tail ${form.join(' ')} prints every event but the Stop ones`, async () => {
			const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir()}, ['--no-journal']);
			const tail = spawnCli(['tail', '--since', '0', ...form], {
				MPM_TUI_STATE_DIR: tempDir(),
				MPM_TUI_PORT: String(server.port),
			});
			try {
				await postJson(server.url, '/api/events', [
					hookEvent(),
					hookEvent({hook_event_name: 'Stop'}),
					hookEvent({tool_name: 'Grep'}),
				]);
				await tail.waitFor((out) => out.includes('"Grep"'), 'the third event');
				assert.deepEqual(
					tail.lines().map((l) => [l.seq, l.type]),
					[
						[1, 'PreToolUse'],
						[3, 'PreToolUse'],
					],
				);
			} finally {
				await tail.kill();
				await server.kill();
			}
		});
	}
});

describe('an absent boolean flag leaves its environment variable in force', () => {
	const str = (key: string, value: string) => ({key, value: {stringValue: value}});
	const identityForms: Array<{env: Record<string, string>; args: string[]; kept: boolean}> = [
		{env: {MPM_TUI_OTEL_KEEP_IDENTITY: '1'}, args: [], kept: true},
		{env: {MPM_TUI_OTEL_KEEP_IDENTITY: 'yes'}, args: [], kept: true},
		{env: {}, args: [], kept: false},
		{env: {}, args: ['--otel-keep-identity'], kept: true},
		{env: {MPM_TUI_OTEL_KEEP_IDENTITY: '1'}, args: ['--no-otel-keep-identity'], kept: false},
	];
	for (const {env, args, kept} of identityForms) {
		test(`${Object.entries(env)
			.map(([k, v]) => `${k}=${v} `)
			.join('')}--server-only ${args.join(' ')}: user.email ${kept ? 'kept' : 'dropped'}`, async () => {
			const server = await spawnServer(
				{MPM_TUI_STATE_DIR: tempDir(), MPM_TUI_OTEL_KEEP_IDENTITY: '', ...env},
				['--no-journal', ...args],
			);
			try {
				const body = {
					resourceLogs: [
						{
							resource: {
								attributes: [str('service.name', 'claude-code'), str('user.email', 'me@example.com')],
							},
							scopeLogs: [
								{
									logRecords: [
										{attributes: [str('event.name', 'user_prompt'), str('session.id', 'sess-id')]},
									],
								},
							],
						},
					],
				};
				const posted = await request(`${server.url}/v1/logs`, {
					method: 'POST',
					headers: {'Content-Type': 'application/json'},
					body: JSON.stringify(body),
				});
				assert.equal(posted.status, 200);
				const [event] = (await request(`${server.url}/api/events?since=0`)).json.events;
				assert.equal(event.session, 'sess-id');
				assert.equal(event.payload['user.email'], kept ? 'me@example.com' : undefined);
			} finally {
				await server.kill();
			}
		});
	}

	const transcriptForms: Array<{env: Record<string, string>; args: string[]; follow: boolean}> = [
		{env: {}, args: [], follow: true},
		{env: {MPM_TUI_TRANSCRIPTS: '0'}, args: [], follow: false},
		{env: {}, args: ['--no-transcripts'], follow: false},
	];
	for (const {env, args, follow} of transcriptForms) {
		test(`${Object.entries(env)
			.map(([k, v]) => `${k}=${v} `)
			.join(
				'',
			)}--server-only ${args.join(' ')}: transcripts ${follow ? 'read' : 'not read'}; --no-journal: no journal`, async () => {
			const server = await spawnServer({MPM_TUI_STATE_DIR: tempDir(), MPM_TUI_TRANSCRIPTS: '', ...env}, [
				'--no-journal',
				...args,
			]);
			try {
				const status = (await request(`${server.url}/api/status`)).json;
				assert.equal('transcripts' in status, follow);
				assert.equal(status.journal.path, null);
			} finally {
				await server.kill();
			}
		});
	}
});

describe('a number flag is decimal digits as typed; anything else is refused with what was typed', () => {
	const port = '--port must be a whole number from 0 to 65535';
	const forms: Array<[string[], string]> = [
		// tail only connects, so a form taken as a number cannot bind a port out of the tests' range.
		[['tail', '--port', '1e3'], `${port}, got "1e3"`],
		[['tail', '--port', '0x10'], `${port}, got "0x10"`],
		[['tail', '--port', '+5'], `${port}, got "+5"`],
		[['tail', '--port', ''], '--port needs a value'],
		[['tail', '--port', 'http'], `${port}, got "http"`],
		[['tail', '--port', '-1'], `${port}, got "-1"`],
		[['tail', '--port', '70000'], `${port}, got "70000"`],
		[['tail', '--history', 'abc'], '--history must be a whole number from 1 to 10000000, got "abc"'],
		[['tail', '--history-bytes', ''], '--history-bytes needs a value'],
		[['tail', '--since', 'abc'], '--since takes a seq (a whole number ≥ 0), got "abc"'],
		[['tail', '--since', '1e2'], '--since takes a seq (a whole number ≥ 0), got "1e2"'],
		[['tail', '--since', '-1'], '--since takes a seq (a whole number ≥ 0), got "-1"'],
		[['--replay', 'x.ndjson', '--speed', 'abc'], '--speed must be a number above 0, got "abc"'],
		[['--replay', 'x.ndjson', '--speed', '0x2'], '--speed must be a number above 0, got "0x2"'],
		[['--replay', 'x.ndjson', '--speed', '0'], '--speed must be a number above 0, got "0"'],
		[['server', 'logs', '--lines', '1e1'], '--lines must be a whole number from 0, got "1e1"'],
		[
			['server', 'stop', '--timeout', 'Infinity'],
			'--timeout must be a number of seconds above 0, got "Infinity"',
		],
	];
	for (const [args, message] of forms) {
		test(`mpm-tui ${args.map((a) => (a === '' ? "''" : a)).join(' ')}: exit 2, "${message}"`, async () => {
			const box = await sandbox();
			const result = await run(args, box.env);
			assert.equal(result.stderr, `mpm-tui: ${message}\n`);
			assert.equal(result.code, 2);
		});
	}

	test('the environment is read the same way', async () => {
		const box = await sandbox();
		const result = await run(['tail'], {...box.env, MPM_TUI_PORT: '0x10'});
		assert.equal(result.stderr, 'mpm-tui: --port must be a whole number from 0 to 65535, got "0x10"\n');
		assert.equal(result.code, 2);
	});

	test('good values still work: --speed 0.5 / .5 / 2. and --timeout 1.5 are taken', async () => {
		const box = await sandbox();
		for (const speed of ['0.5', '.5', '2.']) {
			// No terminal: the monitor stops at that, after the flags were taken.
			const result = await run(['--replay', 'x.ndjson', '--speed', speed], box.env);
			assert.match(result.stderr, /the monitor needs a terminal/, speed);
		}
		const stop = await run(['server', 'stop', '--timeout', '1.5'], box.env);
		assert.match(stop.stdout + stop.stderr, /not running/);
	});
});
