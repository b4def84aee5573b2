/**
 * End to end through the built CLI: `node dist/cli.js hooks install --scope project` in a temp
 * project, then the installed command line, exactly as written in the settings file, run with
 * `sh -c` and a hook payload on stdin against the real server. Needs the build.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {resolveConfig} from '../source/config.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {eventually, root, runCommand, tempDir} from './helpers/forwarder.js';

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

describe('hooks install through the CLI, then the installed command line', () => {
	for (const forwarder of ['sh', 'node'] as const) {
		test(`--forwarder ${forwarder}: the command as written delivers the event to the real server`, async t => {
			const temp = tempDir(`cli-install-${forwarder}`);
			t.after(temp.cleanup);
			const project = path.join(temp.dir, 'my project');
			mkdirSync(project);
			const env = {PATH: process.env.PATH ?? '', HOME: path.join(temp.dir, 'home'), MPM_TUI_STATE_DIR: path.join(temp.dir, 'state')};
			const install = await runCommand(process.execPath, [cli, 'hooks', 'install', '--scope', 'project', '--forwarder', forwarder], {cwd: project, env});
			assert.equal(install.code, 0, install.stderr);
			assert.match(install.stdout, /installed in .*my project\/\.claude\/settings\.json \(project scope\)/);

			const settings = JSON.parse(readFileSync(path.join(project, '.claude', 'settings.json'), 'utf8'));
			const command: string = settings.hooks.PreToolUse[0].hooks[0].command;
			assert.equal(settings.hooks.PreToolUse[0].matcher, '*');

			const config = resolveConfig({port: await freePort(), journal: false}, env, env.HOME);
			const accepted: EventRecord[] = [];
			const server = await startServer(config, {onAccepted: batch => accepted.push(...batch.records)});
			t.after(() => server.close());

			const hook = await runCommand('sh', ['-c', command], {cwd: project, env: {...env, MPM_TUI_PORT: String(server.port)}, input: JSON.stringify(payload)});
			assert.equal(hook.code, 0);
			assert.equal(hook.stdout, '');
			assert.equal(hook.stderr, '');
			const [record] = await eventually(() => (accepted.length > 0 ? accepted : undefined), 5000, 'the event at the server');
			assert.equal(record.type, 'PreToolUse');
			assert.equal(record.tool, 'Read');
			assert.equal(record.toolUseId, 'toolu_cli_e2e');
			assert.equal(record.source === 'spool', false, 'delivered live, not through the spool');
		});
	}

	test('a malformed settings file: exit 1, the path and position on stderr, file untouched', async t => {
		const temp = tempDir('cli-malformed');
		t.after(temp.cleanup);
		const file = path.join(temp.dir, '.claude', 'settings.local.json');
		mkdirSync(path.dirname(file));
		writeFileSync(file, '{"hooks": {"Stop": []}');
		const env = {PATH: process.env.PATH ?? '', HOME: temp.dir, MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), CLAUDE_PROJECT_DIR: temp.dir};
		const r = await runCommand(process.execPath, [cli, 'hooks', 'install', '--scope', 'local'], {cwd: '/', env});
		assert.equal(r.code, 1);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /settings\.local\.json is not valid JSON at line 1, column 23/);
		assert.equal(readFileSync(file, 'utf8'), '{"hooks": {"Stop": []}');
	});
});
