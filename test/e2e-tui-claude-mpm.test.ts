/**
 * End to end in a real pseudo-terminal (tmux): the built `mpm-tui --connect` meets a claude-mpm
 * monitor (a real Socket.IO server playing claude-mpm's, helpers/claude-mpm-server.ts). The empty
 * screen says what feeds that server, `d` posts the demo in claude-mpm's hook envelope, and the
 * events come back from claude-mpm onto the screen under the hooks' own names.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Payload} from './fixtures/hook-payloads.js';
import {startClaudeMpmServer, type ClaudeMpmServer} from './helpers/claude-mpm-server.js';
import {cliPath, Tmux} from './helpers/tmux-kit.js';

const tmux = new Tmux();
let mpm: ClaudeMpmServer;
let dir: string;

before(async () => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
	mpm = await startClaudeMpmServer();
	dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-mpm-'));
});

after(async () => {
	tmux.kill();
	await mpm.close();
	rmSync(dir, {recursive: true, force: true});
});

const headerCount = (screen: string): number =>
	Number(/([\d,]+) ev(?:ents?)?\b/.exec(screen.split('\n')[0])?.[1].replaceAll(',', '') ?? NaN);

test('mpm-tui --connect to claude-mpm: says what feeds it, and d plays the demo through claude-mpm', async () => {
	const env = {
		CI: 'false',
		MPM_TUI_STATE_DIR: dir,
		HOME: dir,
		TERM: 'xterm-256color',
		NODE_ENV: 'production',
		PATH: process.env.PATH ?? '',
	};
	const pane = tmux.open('mpm', [process.execPath, cliPath, '--connect', mpm.url], env, {
		columns: 100,
		rows: 24,
	});
	const empty = await pane.waitFor(
		(s) => s.includes('No events yet') && s.includes('connected'),
		'the empty state, connected',
	);
	assert.match(empty.split('\n')[0], /connected 127\.0\.0\.1:\d+ \(claude-mpm\)/);
	assert.match(empty, /claude-mpm's own hooks feed it/);
	assert.doesNotMatch(empty, /mpm-tui hooks install/);
	pane.keys('d');
	const shown = await pane.waitFor((s) => headerCount(s) >= 15, 'the demo back from claude-mpm', 20_000);
	assert.ok(mpm.posted.length >= 15, 'the demo went to claude-mpm');
	for (const body of mpm.posted) {
		assert.equal(body.event, 'claude_event');
		assert.equal((body.data as Payload).type, 'hook');
		assert.equal(typeof ((body.data as Payload).data as Payload).hook_event_name, 'string');
	}
	assert.match(shown, /PreToolUse/);
	assert.doesNotMatch(shown, /mpm:claude_event/);
	pane.keys('q');
	assert.equal(await pane.waitExit(), 0);
});
