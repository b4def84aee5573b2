/**
 * End to end through the built CLI: `node dist/cli.js hooks install` in a temp project, then the
 * installed command line, exactly as written in the settings file, run with `sh -c` and a hook
 * payload on stdin against the real server. For the project scope (a file shared with the
 * repository) the machines are real too: this checkout installed by npm itself into a temp prefix
 * (`npm install --global --prefix`, which links the bins as `npm i -g` and `npm link` do), a PATH
 * without curl, and a PATH without mpm-tui. Needs the build.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {resolveConfig} from '../source/config.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {eventually, readLines, root, runCommand, tempDir} from './helpers/forwarder.js';

const cli = path.join(root, 'dist', 'cli.js');

const payload = {
	session_id: 'c0ffee00-1111-2222-3333-444455556666',
	transcript_path: '/tmp/t.jsonl',
	cwd: '/home/u/app',
	permission_mode: 'default',
	hook_event_name: 'PreToolUse',
	tool_name: 'Read',
	tool_input: {file_path: '/home/u/app/source/app.tsx'},
	tool_use_id: 'toolu_cli_e2e',
};

/** PATH without any directory that holds an mpm-tui forwarder (a developer may have one installed). */
const pathWithoutMpmTui = (process.env.PATH ?? '')
	.split(path.delimiter)
	.filter(
		(dir) =>
			dir !== '' &&
			!existsSync(path.join(dir, 'mpm-tui-hook')) &&
			!existsSync(path.join(dir, 'mpm-tui-hook-sh')),
	)
	.join(path.delimiter);

async function settingsCommand(file: string, event = 'PreToolUse'): Promise<string> {
	const settings = JSON.parse(readFileSync(file, 'utf8'));
	return settings.hooks[event][0].hooks[0].command as string;
}

/** A real server on a free port, with the records it accepts. */
async function serverFor(
	t: {after(fn: () => unknown): void},
	env: Record<string, string>,
): Promise<{server: MpmServer; accepted: EventRecord[]}> {
	const config = resolveConfig({port: await freePort(), journal: false}, env, env.HOME);
	const accepted: EventRecord[] = [];
	const server = await startServer(config, {onAccepted: (batch) => accepted.push(...batch.records)});
	t.after(() => server.close());
	return {server, accepted};
}

describe('hooks install through the CLI, then the installed command line', () => {
	for (const forwarder of ['sh', 'node'] as const) {
		test(`--scope local --forwarder ${forwarder}: the command as written (absolute paths) delivers the event to the real server`, async (t) => {
			const temp = tempDir(`cli-install-${forwarder}`);
			t.after(temp.cleanup);
			const project = path.join(temp.dir, 'my project');
			mkdirSync(project);
			const env = {
				PATH: process.env.PATH ?? '',
				HOME: path.join(temp.dir, 'home'),
				MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'),
			};
			const install = await runCommand(
				process.execPath,
				[cli, 'hooks', 'install', '--scope', 'local', '--forwarder', forwarder],
				{cwd: project, env},
			);
			assert.equal(install.code, 0, install.stderr);
			assert.match(
				install.stdout,
				/installed in .*my project\/\.claude\/settings\.local\.json \(local scope\)/,
			);
			const file = path.join(project, '.claude', 'settings.local.json');
			const command = await settingsCommand(file);
			assert.ok(
				command.includes(path.join(root, 'dist', 'hook')),
				`an absolute path of this machine: ${command}`,
			);
			assert.equal(JSON.parse(readFileSync(file, 'utf8')).hooks.PreToolUse[0].matcher, '*');

			const {server, accepted} = await serverFor(t, env);
			const hook = await runCommand('sh', ['-c', command], {
				cwd: project,
				env: {...env, MPM_TUI_PORT: String(server.port)},
				input: JSON.stringify(payload),
			});
			assert.equal(hook.code, 0);
			assert.equal(hook.stdout, '');
			assert.equal(hook.stderr, '');
			const [record] = await eventually(
				() => (accepted.length > 0 ? accepted : undefined),
				5000,
				'the event at the server',
			);
			assert.equal(record.type, 'PreToolUse');
			assert.equal(record.tool, 'Read');
			assert.equal(record.toolUseId, 'toolu_cli_e2e');
			assert.equal(record.source === 'spool', false, 'delivered live, not through the spool');
		});
	}

	test('a malformed settings file: exit 1, the path and position on stderr, file untouched', async (t) => {
		const temp = tempDir('cli-malformed');
		t.after(temp.cleanup);
		const file = path.join(temp.dir, '.claude', 'settings.local.json');
		mkdirSync(path.dirname(file));
		writeFileSync(file, '{"hooks": {"Stop": []}');
		const env = {
			PATH: process.env.PATH ?? '',
			HOME: temp.dir,
			MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'),
			CLAUDE_PROJECT_DIR: temp.dir,
		};
		const r = await runCommand(process.execPath, [cli, 'hooks', 'install', '--scope', 'local'], {
			cwd: '/',
			env,
		});
		assert.equal(r.code, 1);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /settings\.local\.json is not valid JSON at line 1, column 23/);
		assert.equal(readFileSync(file, 'utf8'), '{"hooks": {"Stop": []}');
	});
});

describe('--scope project: a command for every machine that checks out the repository', () => {
	const temp = tempDir('cli-project');
	const project = path.join(temp.dir, 'shared repo');
	const settingsFile = path.join(project, '.claude', 'settings.json');
	/** The bin directory of a machine where npm installed mpm-tui. */
	const npmBin = path.join(temp.dir, 'prefix', 'bin');
	const home = path.join(temp.dir, 'home');
	let command = '';
	let installOut = '';

	before(async () => {
		mkdirSync(project);
		mkdirSync(home);
		// npm itself installs this checkout globally into the temp prefix and links its bins.
		const npm = await runCommand(
			'npm',
			[
				'install',
				'--global',
				'--prefix',
				path.join(temp.dir, 'prefix'),
				root,
				'--offline',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
			],
			{cwd: temp.dir, env: {PATH: process.env.PATH ?? '', HOME: home}},
		);
		assert.equal(npm.code, 0, npm.stderr);
		// Installed from a machine where mpm-tui is not on PATH (a checkout run as node dist/cli.js).
		const install = await runCommand(process.execPath, [cli, 'hooks', 'install', '--scope', 'project'], {
			cwd: project,
			env: {PATH: pathWithoutMpmTui, HOME: home, MPM_TUI_STATE_DIR: path.join(temp.dir, 'state')},
		});
		assert.equal(install.code, 0, install.stderr);
		installOut = install.stdout;
		command = await settingsCommand(settingsFile);
	});
	after(temp.cleanup);

	test('the file names no path of this machine, and install says what that means here and for teammates', () => {
		for (const local of [root, temp.dir, process.execPath, '/usr/bin/sh'])
			assert.ok(!command.includes(local), `${local} in ${command}`);
		for (const event of ['Stop', 'SessionStart', 'PostToolUse'])
			assert.equal(JSON.parse(readFileSync(settingsFile, 'utf8')).hooks[event][0].hooks[0].command, command);
		assert.match(
			installOut,
			/^forwarder: from PATH: mpm-tui-hook-sh \(sh \+ curl\) from PATH, else mpm-tui-hook \(Node\): \.claude\/settings\.json is shared with the repository/m,
		);
		assert.match(
			installOut,
			/^shared: +every machine that checks out the repository runs the forwarder from its own PATH: install mpm-tui there \(npm i -g mpm-tui\)\.$/m,
		);
		assert.match(
			installOut,
			/Where it is not installed the hooks read their input and exit 0: nothing is shown in Claude Code\. For hooks on this machine only, use --scope local\./,
		);
		assert.match(
			installOut,
			/^WARNING: +neither mpm-tui-hook-sh nor mpm-tui-hook is on PATH here, so on this machine these hooks do nothing: npm i -g mpm-tui/m,
		);
	});

	test('a machine where npm installed mpm-tui, with curl: the sh forwarder from PATH delivers live', async (t) => {
		const env = {
			PATH: `${npmBin}${path.delimiter}${pathWithoutMpmTui}`,
			HOME: home,
			MPM_TUI_STATE_DIR: path.join(temp.dir, 'state-sh'),
		};
		const {server, accepted} = await serverFor(t, env);
		const log = path.join(temp.dir, 'sh.log');
		const hook = await runCommand('sh', ['-c', command], {
			cwd: project,
			env: {...env, MPM_TUI_PORT: String(server.port), MPM_TUI_HOOK_LOG: log},
			input: JSON.stringify(payload),
		});
		assert.deepEqual(hook, {code: 0, stdout: '', stderr: ''});
		const [record] = await eventually(
			() => (accepted.length > 0 ? accepted : undefined),
			5000,
			'the event at the server',
		);
		assert.equal(record.toolUseId, 'toolu_cli_e2e');
		assert.notEqual(record.source, 'spool');
		await eventually(
			() => (readLines(log).some((l) => / sent /.test(l)) ? true : undefined),
			5000,
			'the forwarder to log its send',
		);
		assert.ok(
			readLines(log).every((l) => l.startsWith('mpm-tui-hook.sh[')),
			`the sh forwarder ran: ${readLines(log).join(' | ')}`,
		);

		const status = await runCommand(
			process.execPath,
			[cli, 'hooks', 'status', '--port', String(server.port)],
			{cwd: project, env},
		);
		assert.match(status.stdout, new RegExp(`^ +runs: +${npmBin}/mpm-tui-hook-sh \\(from PATH\\)$`, 'm'));
		const again = await runCommand(process.execPath, [cli, 'hooks', 'install', '--scope', 'project'], {
			cwd: project,
			env,
		});
		assert.match(again.stdout, /already installed .*nothing changed/);
		assert.match(
			again.stdout,
			new RegExp(`^here: +${npmBin}/mpm-tui-hook-sh \\(the sh forwarder, from PATH\\)$`, 'm'),
		);
	});

	test('a machine with mpm-tui but no curl: the Node forwarder from PATH delivers live', async (t) => {
		// Only node (for mpm-tui-hook's `#!/usr/bin/env node`) and npm's bin directory: no curl.
		const tools = path.join(temp.dir, 'tools-no-curl');
		mkdirSync(tools);
		symlinkSync(process.execPath, path.join(tools, 'node'));
		const env = {
			PATH: `${npmBin}${path.delimiter}${tools}`,
			HOME: home,
			MPM_TUI_STATE_DIR: path.join(temp.dir, 'state-node'),
		};
		const {server, accepted} = await serverFor(t, env);
		const log = path.join(temp.dir, 'node.log');
		const hook = await runCommand('/bin/sh', ['-c', command], {
			cwd: project,
			env: {...env, MPM_TUI_PORT: String(server.port), MPM_TUI_HOOK_LOG: log},
			input: JSON.stringify(payload),
		});
		assert.deepEqual(hook, {code: 0, stdout: '', stderr: ''});
		const [record] = await eventually(
			() => (accepted.length > 0 ? accepted : undefined),
			5000,
			'the event at the server',
		);
		assert.equal(record.toolUseId, 'toolu_cli_e2e');
		assert.ok(
			readLines(log).length > 0 && readLines(log).every((l) => l.startsWith('mpm-tui-hook[')),
			`the Node forwarder ran: ${readLines(log).join(' | ')}`,
		);
	});

	test('a machine without mpm-tui: exit 0, nothing printed, and the input is read (the writer never meets a closed pipe)', async () => {
		// Claude Code may write the event after the hook has started or even ended; a hook that
		// exits without reading makes that write fail (EPIPE, reported as a hook error). The writer
		// here starts late, writes more than a pipe holds, and reports its own exit status.
		const script =
			'(sleep 0.3; head -c 300000 /dev/zero; echo "writer exit $?" >&2) | env PATH="$HOOK_PATH" /bin/sh -c "$HOOK_COMMAND"; echo "hook exit $?"';
		const r = await runCommand('/bin/sh', ['-c', script], {
			cwd: project,
			env: {PATH: process.env.PATH ?? '', HOOK_PATH: pathWithoutMpmTui, HOOK_COMMAND: command},
		});
		assert.equal(r.stdout, 'hook exit 0\n', 'exit 0 and nothing on stdout');
		assert.equal(r.stderr, 'writer exit 0\n', 'nothing on stderr, and the writer was not cut off');
	});
});

test('hooks install --telemetry through the CLI: the flag reaches the installer, with the port and the token of the command line', async (t) => {
	const temp = tempDir('cli-telemetry');
	t.after(temp.cleanup);
	const project = path.join(temp.dir, 'project');
	mkdirSync(project);
	const env = {
		PATH: process.env.PATH ?? '',
		HOME: path.join(temp.dir, 'home'),
		MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'),
	};
	const dry = await runCommand(
		process.execPath,
		[
			cli,
			'hooks',
			'install',
			'--scope',
			'local',
			'--telemetry',
			'--dry-run',
			'--port',
			'9911',
			'--token',
			'cli-secret',
		],
		{cwd: project, env},
	);
	assert.equal(dry.code, 0, dry.stderr);
	assert.match(dry.stdout, /^\+ {4}"OTEL_EXPORTER_OTLP_ENDPOINT": "http:\/\/127\.0\.0\.1:9911",$/m);
	assert.match(dry.stdout, /^\+ {4}"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=\*\*\*\*"$/m);
	assert.equal(dry.stdout.includes('cli-secret'), false);
	assert.equal(
		existsSync(path.join(project, '.claude', 'settings.local.json')),
		false,
		'the dry run wrote nothing',
	);
	const shared = await runCommand(
		process.execPath,
		[cli, 'hooks', 'install', '--scope', 'project', '--telemetry'],
		{cwd: project, env},
	);
	assert.equal(shared.code, 2);
	assert.match(shared.stderr, /--telemetry is not written to the project scope/);
});
