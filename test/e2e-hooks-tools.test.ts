/**
 * End to end, all real processes: `mpm-tui hooks install --scope project` into a temp project,
 * the monitor (`node dist/cli.js --port <free>`) in a tmux pane, then the PreToolUse and
 * PostToolUse command lines exactly as written in `.claude/settings.json`, run with `sh -c` and
 * a real payload on stdin; the call shows in the Tools tab (tool, target, ok, duration), and its
 * detail holds both records. Needs the build (dist/).
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from './helpers/free-port.js';
import {runCommand} from './helpers/forwarder.js';
import {cliPath, Tmux} from './helpers/tmux-kit.js';

const root = path.resolve(import.meta.dirname, '..');

const tmux = new Tmux();
const temp = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-hooks-'));

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
});

after(() => {
	tmux.kill();
	rmSync(temp, {recursive: true, force: true});
});

interface HookEntry {
	matcher?: string;
	hooks: Array<{type: string; command: string; timeout?: number}>;
}

const SESSION = 'e2e0c0de-1111-4222-8333-944455556666';
const base = {
	session_id: SESSION,
	transcript_path: '/tmp/e2e.jsonl',
	cwd: '/home/u/app',
	permission_mode: 'default',
};
const input = {command: 'npm run lint -- --fix', description: 'Lint and fix'};
const prePayload = {
	...base,
	hook_event_name: 'PreToolUse',
	tool_name: 'Bash',
	tool_input: input,
	tool_use_id: 'toolu_e2e_hooks_1',
};
const postPayload = {
	...base,
	hook_event_name: 'PostToolUse',
	tool_name: 'Bash',
	tool_input: input,
	tool_response: {stdout: 'fixed 3 files', stderr: '', interrupted: false, isImage: false},
	tool_use_id: 'toolu_e2e_hooks_1',
	duration_ms: 1840,
};

describe('hooks install, then the installed command lines, then the Tools tab', () => {
	it('shows the forwarded call in the Tools tab with its tool, target and status', async () => {
		const project = path.join(temp, 'my project');
		mkdirSync(project);
		const home = path.join(temp, 'home');
		mkdirSync(home);
		const state = path.join(temp, 'state');
		// The project scope's command runs the forwarder from PATH, as on a machine where npm
		// installed mpm-tui: npm links each package.json bin into its prefix's bin directory.
		const npmBin = path.join(temp, 'prefix', 'bin');
		mkdirSync(npmBin, {recursive: true});
		const bins = (
			JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>}
		).bin;
		for (const [name, file] of Object.entries(bins))
			symlinkSync(path.join(root, file), path.join(npmBin, name));
		const env = {
			PATH: `${npmBin}${path.delimiter}${process.env.PATH ?? ''}`,
			HOME: home,
			MPM_TUI_STATE_DIR: state,
		};

		const install = await runCommand(process.execPath, [cliPath, 'hooks', 'install', '--scope', 'project'], {
			cwd: project,
			env,
		});
		assert.equal(install.code, 0, install.stderr);
		const settings = JSON.parse(readFileSync(path.join(project, '.claude', 'settings.json'), 'utf8')) as {
			hooks: Record<string, HookEntry[]>;
		};
		const commandOf = (event: string) => {
			const entries = settings.hooks[event];
			assert.ok(entries?.length === 1, `one ${event} entry`);
			assert.equal(entries[0].matcher, '*');
			return entries[0].hooks[0].command;
		};
		const preCommand = commandOf('PreToolUse');
		const postCommand = commandOf('PostToolUse');

		const port = await freePort();
		const pane = tmux.open(
			'tui',
			[process.execPath, cliPath, '--port', String(port)],
			{...env, CI: 'false', TERM: 'xterm-256color', NODE_ENV: 'production'},
			{columns: 120, rows: 40},
		);
		await pane.waitFor((s) => s.includes(`Listening on http://127.0.0.1:${port}`), 'the monitor to host');

		const hookEnv = {...env, MPM_TUI_PORT: String(port)};
		for (const [command, payload] of [
			[preCommand, prePayload],
			[postCommand, postPayload],
		] as const) {
			const hook = await runCommand('sh', ['-c', command], {
				cwd: project,
				env: hookEnv,
				input: JSON.stringify(payload),
			});
			assert.equal(hook.code, 0, hook.stderr);
			assert.equal(hook.stdout, '', 'a hook prints nothing Claude Code would read');
		}
		await pane.waitFor((s) => /│ 2 events │/.test(s.split('\n')[0]), 'both events in the header');

		pane.keys('2');
		const screen = await pane.waitFor(
			(s) => /✓ +\d\d:\d\d:\d\d Bash +npm run lint -- --fix +1\.8s ok +main +e2e0c0de/.test(s),
			'the call in the Tools tab',
		);
		assert.match(screen.split('\n')[1], /\[?2 Tools/);
		assert.match(screen, /1\/1/);
		assert.doesNotMatch(screen, /◐/, 'not running: the Post paired with the Pre');

		pane.keys('Enter');
		await pane.waitFor(
			(s) => s.includes('Bash npm run lint -- --fix · ok · 2 records') && s.includes('"type": "PreToolUse"'),
			'the call detail with its records',
		);
		pane.keys('G');
		await pane.waitFor((s) => s.includes('"duration_ms": 1840'), 'the PostToolUse record');
		// Esc and 5 in one write would read as Alt-5 (a terminal sends ESC 5 for it); a person's two presses come apart.
		pane.keys('Escape');
		await pane.waitFor((s) => !s.includes('Esc back') && s.includes('1/1'), 'Esc back to the Tools list');
		pane.keys('5');
		await pane.waitFor((s) => /working +e2e0c0de/.test(s), 'the session in the Sessions tab');
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0, 'q exits 0');
	});
});
