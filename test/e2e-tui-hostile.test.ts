/**
 * Hostile events through the whole program: the built `mpm-tui` hosting its server in a real
 * pseudo-terminal (tmux, CI=false, colours on), the events POSTed to it over HTTP, every tab
 * paged through, details opened; then a restart that replays them from the journal. Every byte
 * the program writes to the terminal is recorded (tmux pipe-pane) and checked: no control a
 * terminal would act on comes from an event, and the screen still draws the canary at the end.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from './helpers/free-port.js';
import {cliPath, Tmux, type Pane} from './helpers/tmux-kit.js';
import {CANARY, forbiddenIn, hostilePayloads} from './fixtures/hostile-events.js';

const tmux = new Tmux();
const dirs: string[] = [];

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
});

after(() => {
	tmux.kill();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const headerCount = (screen: string): number =>
	Number(/([\d,]+) ev(?:ents?)?\b/.exec(screen.split('\n')[0])?.[1].replaceAll(',', '') ?? NaN);

/**
 * The sequences Ink and the program write themselves (recorded from a run with ordinary events):
 * SGR colours, erase in line, cursor up, cursor to column, private modes (cursor, alternate
 * screen). None of the hostile events' own sequences (clear screen, title, status query, DCS) is
 * among them.
 */

const OWN_SEQUENCES = /\u001b\[\??[0-9;]*[mKAGhl]/g;

/** The first control in the recorded bytes that did not come from the program itself, or null. */
function leakIn(file: string): string | null {
	const text = readFileSync(file).toString('utf8').replace(OWN_SEQUENCES, '').replace(/\r\n/g, '\n');
	return forbiddenIn(text);
}

/** `mpm-tui` in a pane whose every output byte goes to `bytesFile` (it starts half a second late, so the pipe is in place first). */
function start(
	name: string,
	port: number,
	dir: string,
	bytesFile: string,
	size: {columns: number; rows: number},
): Pane {
	const env = {
		CI: 'false',
		FORCE_COLOR: '1',
		MPM_TUI_STATE_DIR: dir,
		HOME: dir,
		TERM: 'xterm-256color',
		NODE_ENV: 'production',
		PATH: process.env.PATH ?? '',
	};
	const pane = tmux.open(
		name,
		['sh', '-c', 'sleep 0.5; exec "$0" "$@"', process.execPath, cliPath, '--port', String(port)],
		env,
		size,
	);
	tmux.run('pipe-pane', '-t', pane.target, '-O', `cat >> '${bytesFile}'`);
	return pane;
}

/** Presses `key` and waits for the screen to change (it may not, at the end of a list). */
async function press(pane: Pane, ...keys: string[]): Promise<string> {
	const before = pane.capture();
	pane.keys(...keys);
	return pane
		.waitFor((s) => s !== before, `the screen after ${keys.join(' ')}`, 1500)
		.catch(() => pane.capture());
}

/** Asserts the monitor is still drawing (its header is on the first line). */
function alive(screen: string, what: string): void {
	assert.match(screen.split('\n')[0], /^● hosting /, `${what}: the monitor is gone:\n${screen}`);
}

describe('hostile events in a real terminal', () => {
	it('a hosting mpm-tui draws them in every tab and the detail view, and after a restart from its journal', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-hostile-'));
		dirs.push(dir);
		const port = await freePort();
		const firstBytes = path.join(dir, 'first.bytes');
		const pane = start('hostile', port, dir, firstBytes, {columns: 80, rows: 24});
		await pane.waitFor(
			(s) => s.includes('No events yet') && /^● hosting /.test(s),
			'the empty state, hosting',
			10_000,
		);

		let accepted = 0;
		for (const payload of hostilePayloads()) {
			const response = await fetch(`http://127.0.0.1:${port}/api/events`, {
				method: 'POST',
				headers: {'Content-Type': 'application/json'},
				body: JSON.stringify(payload),
			});
			const answer = (await response.json()) as {accepted?: number};
			assert.equal(
				response.status,
				202,
				`the server takes ${JSON.stringify(payload).slice(0, 120)}: ${JSON.stringify(answer)}`,
			);
			accepted += answer.accepted ?? 0;
		}
		let screen = await pane.waitFor(
			(s) => headerCount(s) === accepted && s.includes(CANARY),
			`all ${accepted} events and the canary`,
			15_000,
		);
		alive(screen, 'the events');
		let stand = screen;

		// Events: every page from the top, and the detail of a few rows (top and bottom of each).
		screen = await press(pane, 'g');
		for (let shown = 0; shown < accepted; shown += 18) {
			screen = await press(pane, 'Space');
			alive(screen, 'paging the events');
			stand += screen;
		}
		await press(pane, 'g');
		for (const step of ['j', 'j', 'j', 'j', 'PageDown', 'PageDown', 'PageDown', 'End', 'k', 'k']) {
			await press(pane, step);
			screen = await press(pane, 'Enter');
			assert.match(screen, /Esc back/, 'the detail view is open');
			stand += screen;
			screen = await press(pane, 'G');
			alive(screen, 'the end of a detail');
			await press(pane, 'Escape');
		}

		// The other tabs: a few pages each, a detail, the session scope.
		for (const tab of ['2', '3', '4', '5']) {
			screen = await press(pane, tab);
			alive(screen, `tab ${tab}`);
			for (let page = 0; page < 6; page++) stand += await press(pane, 'Space');
			screen = await press(pane, 'Enter');
			alive(screen, `Enter on tab ${tab}`);
			stand += screen;
			screen = await press(pane, 'Escape');
			alive(screen, `back on tab ${tab}`);
			screen = await press(pane, 'G');
			stand += screen;
		}
		await press(pane, '5', 'g', 's');
		for (const tab of ['1', '2', '3', '4']) alive(await press(pane, tab), `tab ${tab} scoped`);
		await press(pane, 'S', '1', 'G');
		screen = await pane.waitFor((s) => s.includes(CANARY), 'the canary after everything');
		alive(screen, 'the end');
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0, 'q exits 0');
		assert.equal(leakIn(firstBytes), null, 'nothing raw reached the terminal');
		assert.ok(stand.includes('␛'), 'ESC is shown as ␛ on the screen');
		assert.ok(stand.includes('\ufffd'), 'C1 and bidi controls are shown as �');

		// Restart on the same state: the journal replays every hostile event into the history.
		const secondBytes = path.join(dir, 'second.bytes');
		const again = start('restart', port, dir, secondBytes, {columns: 130, rows: 35});
		screen = await again.waitFor(
			(s) => headerCount(s) === accepted && s.includes(CANARY),
			'the events again after a restart',
			20_000,
		);
		alive(screen, 'after the restart');
		for (const tab of ['2', '3', '4', '5', '1']) {
			for (const key of [tab, 'Space', 'Space', 'Enter', 'G', 'Escape']) await press(again, key);
			alive(again.capture(), `tab ${tab} after the restart`);
		}
		await press(again, 'S', '1', 'G');
		await again.waitFor((s) => s.includes(CANARY), 'the canary after the restart');
		again.keys('q');
		assert.equal(await again.waitExit(), 0);
		await sleep(100);
		assert.equal(leakIn(secondBytes), null, 'nothing raw reached the terminal after the restart');
	});
});
