/**
 * End to end in real pseudo-terminals (tmux): the built `mpm-tui` hosts a server, the real
 * forwarder sends events, and keys drive the screen. Also: narrow panes render cleanly, and
 * host-or-connect with a reconnect after the host dies.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {BG_STOP, backgroundWork, cancelledCall} from './fixtures/cc-today.js';
import {OTHER_CWD, OTHER_SESSION} from './fixtures/view-sequences.js';
import {freePort} from './helpers/free-port.js';
import {cliPath, forward, forwarderPath, hookPayload, Tmux, type Pane} from './helpers/tmux-kit.js';

const tmux = new Tmux();
const dirs: string[] = [];
const children: ChildProcess[] = [];

function stateDir(): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-'));
	dirs.push(dir);
	return dir;
}

function tuiEnv(dir: string): Record<string, string> {
	return {
		CI: 'false',
		MPM_TUI_STATE_DIR: dir,
		HOME: dir,
		TERM: 'xterm-256color',
		NODE_ENV: 'production',
		PATH: process.env.PATH ?? '',
	};
}

const headerCount = (screen: string): number =>
	Number(/([\d,]+) ev(?:ents?)?\b/.exec(screen.split('\n')[0])?.[1].replaceAll(',', '') ?? NaN);

before(() => {
	if (!existsSync(cliPath) || !existsSync(forwarderPath)) throw new Error('build first: npm run build');
});

after(() => {
	tmux.kill();
	for (const child of children)
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

function assertClean(pane: Pane, columns: number, rows: number): void {
	const lines = pane.lines();
	while (lines.length > 0 && lines.at(-1) === '') lines.pop();
	assert.ok(lines.length <= rows, `${lines.length} lines`);
	for (const line of lines)
		assert.ok(stringWidth(line) <= columns, `a line wider than ${columns}: ${JSON.stringify(line)}`);
	assert.match(lines[0], /^● hosting (127\.0\.0\.1)?:\d+ │/, 'the header is on the first line');
	assert.match(lines[1], /^ 1 Events /, 'the tab bar is on the second line');
	// Every list row starts with a time: nothing wrapped onto a line of its own, nothing torn.
	for (const line of lines.slice(3, -1).filter((l) => l.trim() !== ''))
		assert.match(line, /^[ ›](\d+ +)?\d\d:\d\d:\d\d /, `a torn or wrapped row: ${JSON.stringify(line)}`);
}

describe('mpm-tui in a terminal', () => {
	it('hosts, shows forwarded events, searches, filters, opens detail, and quits cleanly', async () => {
		const dir = stateDir();
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		const pane = tmux.open('main', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir));
		await pane.waitFor(
			(s) => s.includes('No events yet') && s.includes(`Listening on http://127.0.0.1:${port}`),
			'the empty state',
		);
		assert.match(pane.capture(), /mpm-tui hooks install/);

		for (let i = 1; i <= 6; i++) forward(hookPayload(i), env);
		forward(
			hookPayload(7, {
				hook_event_name: 'UserPromptSubmit',
				prompt: 'refactor the parser',
				tool_name: undefined,
				tool_input: undefined,
				tool_use_id: undefined,
			}),
			env,
		);
		forward(
			hookPayload(8, {
				hook_event_name: 'PostToolUseFailure',
				error: 'exit 1',
				tool_input: {command: 'npm run lint'},
			}),
			env,
		);
		let screen = await pane.waitFor(
			(s) => headerCount(s) === 8 && s.includes('8/8 · follow'),
			'eight events',
		);
		assert.match(screen, /echo step-1/);
		assert.match(screen, /refactor the parser/);
		assertClean(pane, 80, 24);

		pane.keys('/');
		pane.type('lint');
		screen = await pane.waitFor((s) => s.includes('/lint: 1 match'), 'the search to narrow the list');
		assert.ok(!screen.includes('echo step-1'));
		pane.keys('Enter', 'Escape');
		await pane.waitFor((s) => s.includes('8/8') && !s.includes('match'), 'Esc to clear the search');

		pane.keys('f');
		pane.type('type:PreToolUse -tool:Read');
		pane.keys('Enter');
		screen = await pane.waitFor((s) => s.includes('filtered · 6/6'), 'the filter');
		assert.ok(!screen.includes('refactor the parser'));
		assert.match(
			pane.lines()[1],
			/filter: type:PreToolUse -tool:Read$/,
			'the tab bar shows the filter in force',
		);
		pane.keys('f', 'C-u');
		pane.type('colour:red');
		pane.keys('Enter');
		await pane.waitFor((s) => s.includes('unknown filter key "colour"'), 'the filter error inline');
		pane.keys('Escape');
		await pane.waitFor(
			(s) =>
				!s.includes('colour') &&
				s.includes('filtered · 6/6') &&
				s.includes('filter: type:PreToolUse -tool:Read'),
			'Esc to cancel the edit, keeping the filter',
		);
		pane.keys('Escape');
		await pane.waitFor(
			(s) => s.includes('8/8') && !s.includes('filtered'),
			'Esc in the list to clear the filter',
		);

		pane.keys('k', 'Enter');
		screen = await pane.waitFor(
			(s) => s.includes('Esc back') && s.includes('"type": "UserPromptSubmit"') && s.includes('"payload": {'),
			'the detail view',
		);
		pane.keys('G');
		await pane.waitFor(
			(s) =>
				s.includes('"hook_event_name": "UserPromptSubmit"') &&
				s.includes('"prompt": "refactor the parser"') &&
				/lines \d+–23 of 23/.test(s),
			'G to scroll to the end of the record',
		);
		pane.keys('Escape');
		await pane.waitFor((s) => s.includes('7/8 · follow off'), 'back to the list');

		pane.keys('q');
		assert.equal(await pane.waitExit(), 0, 'q exits 0');
		assert.equal(pane.format('#{alternate_on}'), '0', 'the alternate screen is left');
		assert.equal(pane.format('#{cursor_flag}'), '1', 'the cursor is visible again');
		assert.ok(!pane.capture().includes('Events'), 'the monitor is gone from the screen');
		assert.match(pane.lines()[0], /^\[exit 0\]$/, 'the shell prompt area is back at the top, untouched');
	});

	it('renders a 60×15 pane without wrapped or torn lines, and Ctrl-c quits', async () => {
		const dir = stateDir();
		const port = await freePort();
		const pane = tmux.open('narrow', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
			columns: 60,
			rows: 15,
		});
		await pane.waitFor(
			(s) => s.includes('No events yet') && /^● hosting /.test(s),
			'the empty state, hosting',
		);
		pane.keys('d');
		await pane.waitFor((s) => headerCount(s) >= 12, 'the demo stream', 20_000);
		assertClean(pane, 60, 15);
		pane.keys('?');
		await pane.waitFor((s) => /^Help · lines 1–/m.test(s), 'the help');
		for (const line of pane.lines())
			assert.ok(stringWidth(line) <= 60, `a line wider than 60: ${JSON.stringify(line)}`);
		pane.keys('Escape');
		await pane.waitFor((s) => !/^Help · lines /m.test(s), 'the help to close');
		pane.keys('C-c');
		// The demo is still streaming into the hosted server, which shuts down gracefully first.
		assert.equal(await pane.waitExit(20_000), 0);
	});

	it('Ctrl-c quits also when it is read together with the key before it (Esc, j) while the TUI was stopped', async () => {
		for (const [name, before] of [
			['esc-ctrl-c', 'Escape'],
			['j-ctrl-c', 'j'],
		]) {
			const dir = stateDir();
			const port = await freePort();
			const pane = tmux.open(name, [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
				columns: 60,
				rows: 15,
			});
			await pane.waitFor(
				(s) => s.includes('No events yet') && /^● hosting /.test(s),
				`the empty state, hosting (${name})`,
			);
			const pid = pane.programPid();
			// Stopped, the TUI reads nothing: both keys wait in the terminal and come in one read.
			process.kill(pid, 'SIGSTOP');
			try {
				pane.keys(before);
				pane.keys('C-c');
				await new Promise((resolve) => setTimeout(resolve, 200));
			} finally {
				process.kill(pid, 'SIGCONT');
			}
			assert.equal(await pane.waitExit(20_000), 0, `${before} then Ctrl-c exits 0`);
		}
	});

	it('a second mpm-tui becomes a client; it shows reconnecting when the host dies and catches up with no gap', async () => {
		const dir = stateDir();
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		const host = tmux.open('host', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir));
		await host.waitFor((s) => s.includes('● hosting'), 'the host');
		const client = tmux.open('client', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir));
		await client.waitFor((s) => s.includes(`● connected 127.0.0.1:${port}`), 'the client to connect');

		for (let i = 1; i <= 3; i++) forward(hookPayload(i), env);
		await host.waitFor((s) => headerCount(s) === 3, 'the host to show 3 events');
		await client.waitFor(
			(s) => headerCount(s) === 3 && s.includes('echo step-3'),
			'the client to show the same 3 events',
		);

		// A hard kill once the journal holds the three events (the server writes it behind).
		const journal = path.join(dir, 'journal.ndjson');
		const deadline = Date.now() + 5000;
		while (
			(existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').length : 0) < 3 &&
			Date.now() < deadline
		)
			await new Promise((r) => setTimeout(r, 50));
		const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {pid: number};
		process.kill(health.pid, 'SIGKILL');
		await client.waitFor(
			(s) => /reconnecting \(attempt \d+\)/.test(s),
			'the client to show reconnecting',
			15_000,
		);
		// While no server runs, the forwarder spools.
		for (let i = 4; i <= 5; i++) forward(hookPayload(i), env);

		const server = spawn(process.execPath, [cliPath, '--server-only', '--port', String(port)], {
			env: {...process.env, ...env, HOME: dir},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		children.push(server);
		await client.waitFor(
			(s) => s.includes(`● connected 127.0.0.1:${port}`),
			'the client to reconnect',
			20_000,
		);
		forward(hookPayload(6), env);
		const screen = await client.waitFor((s) => headerCount(s) === 6, 'all six events, once each', 15_000);
		for (let i = 1; i <= 6; i++)
			assert.equal(screen.split(`echo step-${i}`).length - 1, 1, `step-${i} shown exactly once:\n${screen}`);
		assert.match(screen, /6\/6/);

		client.keys('q');
		assert.equal(await client.waitExit(), 0);
		server.kill('SIGTERM');
	});

	it('ages move on with no new event (Sessions "active"), and after a restart the history is not counted in N/min', async () => {
		const dir = stateDir();
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		let pane = tmux.open('ages', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
			columns: 100,
			rows: 20,
		});
		await pane.waitFor((s) => s.includes('● hosting'), 'the TUI to host');
		// Prompts only: nothing runs, so nothing but the ages asks for a redraw.
		for (let i = 1; i <= 3; i++)
			forward(
				hookPayload(i, {
					hook_event_name: 'UserPromptSubmit',
					prompt: `step ${i}`,
					tool_name: undefined,
					tool_input: undefined,
					tool_use_id: undefined,
				}),
				env,
			);
		await pane.waitFor(
			(s) => headerCount(s) === 3 && /\b3\/min\b/.test(s.split('\n')[0]),
			'three arrivals in the rate',
		);
		pane.keys('5');
		// The session's "active" age: read it, then see it grow with no new event.
		const age = (s: string) => {
			const m = /(just now|(\d+)s ago)\s*$/m.exec(
				s.split('\n').find((line) => line.includes('working') || line.includes('idle')) ?? '',
			);
			return m === null ? null : m[2] === undefined ? 0 : Number(m[2]);
		};
		const first = age(await pane.waitFor((s) => age(s) !== null, 'the Sessions tab with its age'));
		await pane.waitFor((s) => (age(s) ?? -1) >= first! + 2, 'active moves on with no new event', 6000);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);

		// The same state dir again: the journal's three events come back as history, not arrivals.
		pane = tmux.open('ages2', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
			columns: 100,
			rows: 20,
		});
		const screen = await pane.waitFor((s) => headerCount(s) === 3, 'the history after the restart', 15_000);
		assert.match(screen.split('\n')[0], /│ 0\/min │/, 'history is not counted as arrivals');
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
	});

	it('follows a resize of the pane', async () => {
		const dir = stateDir();
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		const pane = tmux.open('resize', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
			columns: 60,
			rows: 15,
		});
		await pane.waitFor(
			(s) => s.includes('No events yet') && /^● hosting /.test(s),
			'the empty state, hosting',
		);
		for (let i = 1; i <= 20; i++) forward(hookPayload(i), env);
		await pane.waitFor((s) => headerCount(s) === 20, 'twenty events');
		assert.ok(!pane.lines()[2].includes('session'));
		tmux.run('resize-window', '-t', pane.target, '-x', '120', '-y', '30');
		const screen = await pane.waitFor((s) => s.split('\n')[2]?.includes('agent') === true, 'the wide layout');
		assert.match(screen.split('\n')[2], /seq +time +session +type +tool +agent +summary/);
		assertClean(pane, 120, 30);
		assert.equal(
			pane.lines().filter((l) => /^[ ›]\d+ +\d\d:\d\d:\d\d /.test(l)).length,
			20,
			'all twenty rows fit now',
		);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
	});

	it('replays a recording with pause, counting bad lines; a missing file is a clear error', async () => {
		const dir = stateDir();
		const file = path.join(dir, 'recording.ndjson');
		const start = Date.now();
		const lines = Array.from({length: 30}, (_, i) =>
			JSON.stringify({
				seq: i + 1,
				id: `rec-${i + 1}`,
				time: new Date(start + i * 400).toISOString(),
				session: 'abcd1234-0000',
				type: 'PreToolUse',
				tool: 'Bash',
				toolUseId: null,
				agentId: null,
				agentType: null,
				cwd: '/x',
				summary: `Bash  echo replayed-${i + 1}`,
				source: 'hook',
				payload: {},
			}),
		);
		lines.splice(10, 0, 'this is not json', '{"no":"event"}');
		writeFileSync(file, lines.join('\n') + '\n');
		const pane = tmux.open(
			'replay',
			[process.execPath, cliPath, '--replay', file, '--speed', '2'],
			tuiEnv(dir),
		);
		await pane.waitFor((s) => /▶ replay recording\.ndjson ×2/.test(s.split('\n')[0]), 'the replay header');
		await pane.waitFor(
			(s) => s.includes('skipped 2 bad lines') && s.includes('line 11: not JSON'),
			'the bad-line notice',
		);
		await pane.waitFor((s) => headerCount(s) >= 3, 'the first events');
		pane.keys('p');
		await pane.waitFor((s) => s.includes('paused'), 'the pause badge');
		// An event played just before the key may still reach the header with the next snapshot.
		await new Promise((r) => setTimeout(r, 300));
		const paused = headerCount(pane.capture());
		await new Promise((r) => setTimeout(r, 700));
		assert.equal(headerCount(pane.capture()), paused, 'nothing more arrives while paused');
		pane.keys('p');
		const screen = await pane.waitFor(
			(s) => headerCount(s) === 30 && s.includes('replay finished: 30 events, 2 bad lines skipped'),
			'the whole recording',
			15_000,
		);
		assert.match(screen, /echo replayed-30/);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);

		const missing = tmux.open(
			'missing',
			[process.execPath, cliPath, '--replay', path.join(dir, 'nope.ndjson')],
			tuiEnv(dir),
		);
		assert.equal(await missing.waitExit(), 1);
		assert.match(missing.captureJoined(), /mpm-tui: --replay: no such file: .*nope\.ndjson/);
	});

	it("today's Claude Code: a session paused on background tasks shows ◇ background N until they finish; a cancelled call is ⊘ interrupted", async () => {
		const dir = stateDir();
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		const pane = tmux.open('today', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir), {
			columns: 120,
			rows: 30,
		});
		await pane.waitFor(
			(s) => s.includes('No events yet') && /^● hosting /.test(s),
			'the empty state, hosting',
		);
		// Two subagents and a dev server launched in the background; the turn's Stop lists all three.
		for (const [, payload] of backgroundWork.slice(0, BG_STOP + 1)) forward(payload, env);
		// In another session the user cancels `npm run watch` (no Post), types a new prompt, and a
		// second cancelled call is left without an end at that turn's Stop.
		for (const [, payload] of cancelledCall)
			forward({...payload, session_id: OTHER_SESSION, cwd: OTHER_CWD}, env);
		const total = BG_STOP + 1 + cancelledCall.length;
		await pane.waitFor((s) => headerCount(s) === total, `${total} events`);
		pane.keys('5');
		let screen = await pane.waitFor((s) => s.includes('◇ background 3'), 'the background state');
		assert.match(screen, /◇ background 3 +5b1e0c9a .*runs: Explore: Audit the dependencies/);
		assert.match(screen, /○ idle +c0ffee00/, 'the other session stopped with nothing running');
		assert.ok(!/waiting/.test(screen.split('\n')[0]), 'background work is not waiting for you');

		pane.keys('2');
		screen = await pane.waitFor((s) => s.includes('npm run watch'), 'the Tools tab');
		assert.match(screen, /⊘ .*Bash +npm run watch .*– interrupted/);
		assert.match(screen, /⊘ .*Bash +npm test .*– interrupted/);
		assert.match(screen, /✓ .*Agent +Explore: Audit the dependencies .*launched/);
		assert.ok(!/ lost |^\? /m.test(screen), 'nothing is lost');

		// The subagents finish; a later Stop says the dev server is done too.
		for (const [, payload] of backgroundWork.slice(BG_STOP + 1)) forward(payload, env);
		pane.keys('5');
		screen = await pane.waitFor(
			(s) => headerCount(s) === backgroundWork.length + cancelledCall.length && /○ idle +5b1e0c9a/.test(s),
			'the session idle once everything finished',
		);
		assert.ok(!screen.includes('◇'));
		pane.keys('?');
		screen = await pane.waitFor(
			(s) => s.includes('Sessions: status words'),
			"the help, the Sessions tab's words first",
		);
		assert.match(screen, /◇ background N +stopped, N background tasks still run/);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
	});

	it('refuses a port held by something else, with one line and a non-zero exit', async () => {
		const dir = stateDir();
		const port = await freePort();
		const http = await import('node:http');
		const other = http.createServer((_, res) => res.end('hello')).listen(port, '127.0.0.1');
		try {
			const pane = tmux.open('other', [process.execPath, cliPath, '--port', String(port)], tuiEnv(dir));
			const status = await pane.waitExit(10_000);
			assert.notEqual(status, 0);
			const text = pane.captureJoined();
			assert.match(
				text,
				new RegExp(
					`mpm-tui: 127\\.0\\.0\\.1:${port} is in use by another program \\(GET /health answered HTTP 200`,
				),
			);
		} finally {
			other.close();
		}
	});
});
