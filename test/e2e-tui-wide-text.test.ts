/**
 * End to end in a real pseudo-terminal (tmux, 100 columns): the built `mpm-tui` hosts a server,
 * the real forwarder sends Bash calls whose commands are full of emoji (`echo ✅✅✅ ok ❤️ done ✅
 * and a long line …`), and every event is one line of the screen, in order, with its own summary
 * on it: no row wraps or pushes the rows after it down. Widths by `string-width`, Ink's measure.
 *
 * Only text tmux 3.3 draws as string-width measures it is sent here: tmux 3.3 draws a skin-tone
 * emoji (👍🏽) as two emoji (4 cells, string-width 2) and a Devanagari conjunct per code point
 * (नमस्ते in 4 cells, string-width 3). Those are checked against string-width through the real
 * renderer in tui-wide-text.test.tsx.
 */
import {after, before, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {freePort} from './helpers/free-port.js';
import {cliPath, forward, forwarderPath, hookPayload, Tmux} from './helpers/tmux-kit.js';

const tmux = new Tmux();
let dir = '';

before(() => {
	if (!existsSync(cliPath) || !existsSync(forwarderPath)) throw new Error('build first: npm run build');
	dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-wide-'));
});

after(() => {
	tmux.kill();
	if (dir) rmSync(dir, {recursive: true, force: true});
});

const COLUMNS = 100;
const ROWS = 24;
const CALLS = 12;

const COMMANDS = [
	'echo ✅✅✅ ok ❤️ done ✅ and a long line that goes on past the edge of the pane to be cut',
	'echo 👨‍👩‍👧 family 🇯🇵 flag ⚡ fast ✅ done and more words to fill the row of the pane',
	'cat /src/你好/あいうえお/한국어/สวัสดี/e\u0301clair.ts and the rest of a long path to cut',
	'echo ✅ fix the ❤️ tests ✅ then ⚡ ship it ✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅✅',
	'echo ✅ ok',
];

it('at 100 columns, summaries full of emoji: one line per event, none wider than the pane', async () => {
	const port = await freePort();
	const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
	const pane = tmux.open(
		'wide',
		[process.execPath, cliPath, '--port', String(port)],
		{
			CI: 'false',
			MPM_TUI_STATE_DIR: dir,
			HOME: dir,
			TERM: 'xterm-256color',
			NODE_ENV: 'production',
			LANG: 'C.UTF-8',
			PATH: process.env.PATH ?? '',
		},
		{columns: COLUMNS, rows: ROWS},
	);
	await pane.waitFor((s) => s.includes('No events yet') && /^● hosting /.test(s), 'the empty state, hosting');
	// Each command starts with its marker, so a row showing another event's summary is seen.
	for (let i = 1; i <= CALLS; i++) {
		const command = COMMANDS[(i - 1) % COMMANDS.length].replace(/^(\S+) /, `$1 s${i} `);
		forward(hookPayload(i, {tool_input: {command}}), env);
	}
	const screen = await pane.waitFor((s) => s.includes(`${CALLS}/${CALLS} · follow`), `${CALLS} events`);
	const lines = screen.replace(/\n$/, '').split('\n');
	for (const line of lines)
		assert.ok(
			stringWidth(line) <= COLUMNS,
			`a line of ${stringWidth(line)} cells: ${JSON.stringify(line)}\n${screen}`,
		);
	assert.match(lines[0], /^● hosting (127\.0\.0\.1)?:\d+ │/, `the header is on the first line:\n${screen}`);
	assert.match(lines[1], /^ 1 Events /, 'the tab bar is on the second line');
	assert.match(lines[2], /time +session +type +tool +summary/);
	// The rows are the lines right under the titles, one per event (the last line is the footer,
	// which may carry a notice such as the spool drain's when a slow forwarder spooled).
	const rows = lines.slice(3, 3 + CALLS);
	assert.equal(lines[3 + CALLS]?.trim() ?? '', '', `nothing after the ${CALLS} rows in the list:\n${screen}`);
	rows.forEach((row, i) => {
		assert.match(
			row,
			/^[ ›]\d\d:\d\d:\d\d 5b1e0c9a PreToolUse +Bash +Bash {2}(echo|cat) /,
			`row ${i + 1} is torn: ${JSON.stringify(row)}`,
		);
		assert.match(
			row,
			new RegExp(`Bash {2}(echo|cat) s${i + 1} `),
			`row ${i + 1} shows another event's summary:\n${screen}`,
		);
	});
	assert.ok(
		rows.some((row) => row.includes('✅✅✅ ok ❤️ done ✅')),
		`the ✅ summary is on screen:\n${screen}`,
	);
	pane.keys('q');
	assert.equal(await pane.waitExit(), 0);
});
