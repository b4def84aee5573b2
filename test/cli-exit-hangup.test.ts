/**
 * The monitor's end when its terminal goes away (the window is closed; here: the tmux server is
 * killed, so every pane's pseudo-terminal hangs up). It used to end through exit(), whose Node
 * handler restores the terminal's saved settings, aborts when that fails on a hung-up terminal
 * and then crashes with SIGSEGV in libgcc_s while printing the abort's stack (the segfaults in
 * dmesg). Now it shuts down (the hosted server closes, its journal keeps every event) and ends by
 * SIGHUP, as a terminal program does.
 *
 * Each monitor runs under `sh -c 'trap "" HUP; mpm-tui …; echo $? > status'`: the shell outlives
 * the hangup and writes the status its child ended with (128 + signal number when a signal ended
 * it: 129 SIGHUP, 134 SIGABRT, 139 SIGSEGV).
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from './helpers/free-port.js';
import {cliPath, Tmux} from './helpers/tmux-kit.js';

const ROUNDS = 4;
const PANES = 3;
const EVENTS = 40;

const dirs: string[] = [];
after(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

describe('the monitor when its terminal goes away', () => {
	it(
		`ends by SIGHUP, never by a crash, and keeps every event (${ROUNDS} rounds of ${PANES} monitors)`,
		{timeout: 180_000},
		async () => {
			const statuses: string[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-hangup-'));
				dirs.push(dir);
				const port = await freePort();
				const tmux = new Tmux();
				try {
					// A window that is not a monitor, so that the session outlives the monitors' start.
					tmux.open('idle', ['sleep', '600'], {});
					const panes = [];
					for (let i = 0; i < PANES; i++) {
						// The first one hosts the server, the others connect to it.
						const status = path.join(dir, `status-${i}`);
						const script = `trap '' HUP; ${quote(process.execPath)} ${quote(cliPath)} --port ${port}; echo "$?" > ${quote(status)}`;
						panes.push({
							status,
							pane: tmux.open(`tui${i}`, ['sh', '-c', script], {
								CI: 'false',
								MPM_TUI_STATE_DIR: dir,
								HOME: dir,
								TERM: 'xterm-256color',
								NODE_ENV: 'production',
								PATH: process.env.PATH ?? '',
							}),
						});
						await panes[i].pane.waitFor(
							(screen) => screen.includes(`127.0.0.1:${port}`),
							`monitor ${i} to start`,
							15_000,
						);
					}
					for (let n = 0; n < EVENTS; n++) {
						const answer = await fetch(`http://127.0.0.1:${port}/api/events`, {
							method: 'POST',
							headers: {'Content-Type': 'application/json', 'X-Mpm-Id': `hangup-${round}-${n}`},
							body: JSON.stringify({
								hook_event_name: 'PreToolUse',
								session_id: 's',
								tool_name: 'Bash',
								tool_use_id: `t-${round}-${n}`,
								tool_input: {command: `echo ${n}`},
							}),
						});
						assert.equal(answer.status, 202);
					}
					await panes[0].pane.waitFor(
						(screen) => screen.includes(`${EVENTS} ev`),
						'the events on screen',
						10_000,
					);
					tmux.kill();
					const deadline = Date.now() + 15_000;
					for (const {status} of panes) {
						while (!existsSync(status) || readFileSync(status, 'utf8').trim() === '') {
							assert.ok(
								Date.now() < deadline,
								`a monitor did not end within 15 s of the hangup (round ${round})`,
							);
							await sleep(50);
						}
						statuses.push(readFileSync(status, 'utf8').trim());
					}
					const journal = readFileSync(path.join(dir, 'journal.ndjson'), 'utf8')
						.trim()
						.split('\n')
						.map((line) => JSON.parse(line).id);
					assert.deepEqual(
						journal,
						Array.from({length: EVENTS}, (_, n) => `hangup-${round}-${n}`),
						`round ${round}: the hosted server's journal keeps every event`,
					);
				} finally {
					tmux.kill();
				}
			}
			const crashed = statuses.filter((status) => status === '139' || status === '134');
			assert.equal(
				crashed.length,
				0,
				`${crashed.length} of ${statuses.length} monitors crashed (139 = SIGSEGV, 134 = SIGABRT): ${statuses.join(' ')}`,
			);
			assert.deepEqual(
				statuses,
				Array(ROUNDS * PANES).fill('129'),
				'every monitor ends by SIGHUP (status 129)',
			);
		},
	);
});
