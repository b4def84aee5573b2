/**
 * A 60×15 pane in a real terminal (tmux): the built monitor replays two sessions; every Events
 * and Tools row names its session (the first characters of the id), and the `?` help scrolls to
 * its end with G. No line is wider than the pane.
 */
import {after, before, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {cliPath, Tmux, type Pane} from './helpers/tmux-kit.js';
import {demoRecords} from './helpers/tui-kit.js';
import {helpLines} from '../source/tui/help/help-lines.js';

const tmux = new Tmux();
const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-narrow-'));
const recording = path.join(dir, 'two-sessions.ndjson');
const records = demoRecords(80);
const marks = [...new Set(records.map((r) => (r.session ?? '').slice(0, 4)))];

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
	assert.equal(marks.length, 2, 'two sessions, told apart by their first characters');
	writeFileSync(recording, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

after(() => {
	tmux.kill();
	rmSync(dir, {recursive: true, force: true});
});

function assertFits(pane: Pane): string[] {
	const lines = pane.lines();
	for (const line of lines) assert.ok(stringWidth(line) <= 60, `wider than 60: ${JSON.stringify(line)}`);
	return lines;
}

it('60×15: each row names its session; the help scrolls to its end', async () => {
	const env = {
		CI: 'false',
		TERM: 'xterm-256color',
		MPM_TUI_STATE_DIR: dir,
		HOME: dir,
		NODE_ENV: 'production',
		PATH: process.env.PATH ?? '',
	};
	const pane = tmux.open(
		'narrow',
		[process.execPath, cliPath, '--replay', recording, '--speed', '1000'],
		env,
		{columns: 60, rows: 15},
	);
	await pane.waitFor((s) => s.includes('replay finished: 80 events'), 'the whole recording', 15_000);
	for (const [key, name] of [
		['1', 'Events'],
		['2', 'Tools'],
	] as const) {
		pane.keys(key);
		await pane.waitFor(
			(s) =>
				/ sess /.test(s.split('\n')[2] ?? '') &&
				(name === 'Events') === / type /.test(s.split('\n')[2] ?? ''),
			`the ${name} tab`,
		);
		// Below the title line, the rows; the last line drawn is the footer.
		const body = assertFits(pane)
			.slice(3)
			.filter((l) => l.trim() !== '')
			.slice(0, -1);
		assert.ok(body.length >= 8, `${name}: rows shown`);
		const seen = new Set(body.map((row) => marks.find((m) => row.includes(` ${m} `))));
		assert.ok(!seen.has(undefined), `${name}: every row names its session:\n${body.join('\n')}`);
		assert.equal(seen.size, 2, `${name}: both sessions`);
	}
	pane.keys('?');
	await pane.waitFor((s) => /Help · lines 1–\d+ of \d+/.test(s), 'the help');
	pane.keys('G');
	const screen = await pane.waitFor((s) => /lines \d+–(\d+) of \1 /.test(s), 'G: the end of the help');
	// The help's own last line (as the overlay lays it out at this width) is on screen.
	const lastLine = helpLines('events', 60).at(-1);
	assert.ok(lastLine && lastLine.kind !== 'heading');
	assert.ok(screen.includes((lastLine.kind === 'row' ? lastLine.right : lastLine.text).trim()), screen);
	assertFits(pane);
	pane.keys('q');
	assert.equal(await pane.waitExit(), 0);
});
