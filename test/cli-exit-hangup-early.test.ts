/**
 * The monitor when its terminal goes away while it is still starting (the window closed, or its
 * tmux server killed, a moment after it was opened). Node has recorded the terminal's settings;
 * the streams the program then opens on the hung-up terminal are no terminals, so it prints "the
 * monitor needs a terminal", and that write fails with EIO. It used to end through exit(), whose
 * Node handler aborts restoring the hung-up terminal and crashes with SIGSEGV in libgcc_s printing
 * the abort's stack (the dmesg segfaults). Now every exit on a hung-up terminal ends by SIGHUP.
 *
 * The hangup is placed exactly: a preload (`node --require`) holds the start until the tmux server
 * has been killed, then the CLI loads. Each monitor's pane runs `trap "" HUP; …; echo $? > status`:
 * the shell outlives the hangup, so no SIGHUP reaches the monitor from the system (as when a
 * terminal emulator's shell survives it), and it writes its child's status (128 + signal number
 * when a signal ended it: 129 SIGHUP, 134 SIGABRT, 139 SIGSEGV).
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from './helpers/free-port.js';
import {cliPath, Pane, Tmux} from './helpers/tmux-kit.js';
import {isHungUp} from '../source/hangup-exit.js';

const PANES = 3;

const dirs: string[] = [];
after(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

async function waitForFile(file: string, what: string, timeoutMs: number): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
		assert.ok(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(50);
	}
	return readFileSync(file, 'utf8').trim();
}

/** Says it has started (Node has recorded the terminal), then waits for the go file. */
const HOLD = `
const fs = require('node:fs');
fs.writeFileSync(process.env.HOLD_READY, String(process.pid));
const cell = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + 20000;
while (!fs.existsSync(process.env.HOLD_GO) && Date.now() < deadline) Atomics.wait(cell, 0, 0, 20);
`;

/** A monitor that has not ended (the test failed) is not left behind: it may hold its port. */
function endLeftOver(ready: string, status: string): void {
	if (!existsSync(ready) || (existsSync(status) && readFileSync(status, 'utf8').trim() !== '')) return;
	try {
		process.kill(Number(readFileSync(ready, 'utf8')), 'SIGKILL');
	} catch {
		// It ended meanwhile.
	}
}

describe('a hung-up terminal', () => {
	it('is a terminal device that no longer answers as a terminal', () => {
		assert.equal(isHungUp({isatty: false, path: '/dev/pts/4 (deleted)'}), true);
		assert.equal(isHungUp({isatty: false, path: '/dev/pts/4'}), true);
		assert.equal(isHungUp({isatty: false, path: '/dev/tty1'}), true);
		assert.equal(isHungUp({isatty: true, path: '/dev/pts/4'}), false);
		assert.equal(isHungUp({isatty: false, path: '/dev/null'}), false);
		assert.equal(isHungUp({isatty: false, path: 'pipe:[4321]'}), false);
		assert.equal(isHungUp({isatty: false, path: '/tmp/out.txt'}), false);
		assert.equal(isHungUp({isatty: false, path: null}), false);
	});
});

describe('the monitor when its terminal goes away during its start', () => {
	it(`ends by SIGHUP, never by a crash (${PANES} monitors)`, {timeout: 60_000}, async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-hangup-early-'));
		dirs.push(dir);
		const hold = path.join(dir, 'hold.cjs');
		writeFileSync(hold, HOLD);
		const go = path.join(dir, 'go');
		const port = await freePort();
		const tmux = new Tmux();
		const panes: {status: string; ready: string}[] = [];
		try {
			// A window that is not a monitor, so that the session outlives the monitors' start.
			tmux.open('idle', ['sleep', '600'], {});
			for (let i = 0; i < PANES; i++) {
				const status = path.join(dir, `status-${i}`);
				const ready = path.join(dir, `ready-${i}`);
				const env = Object.entries({
					HOLD_READY: ready,
					HOLD_GO: go,
					CI: 'false',
					MPM_TUI_STATE_DIR: dir,
					HOME: dir,
					TERM: 'xterm-256color',
					NODE_ENV: 'production',
					PATH: process.env.PATH ?? '',
				}).map(([k, v]) => `${k}=${quote(v)}`);
				// The shell ignoring HUP is the pane's first process (the session leader): were it to end
				// on the hangup, the kernel would send SIGHUP to the monitor, which would end by it.
				const script = `trap '' HUP; env ${env.join(' ')} ${quote(process.execPath)} --require ${quote(hold)} ${quote(cliPath)} --port ${port}; echo "$?" > ${quote(status)}`;
				tmux.run('new-window', '-d', '-t', 'test', '-n', `tui${i}`, script);
				panes.push({status, ready});
			}
			for (const [i, {ready}] of panes.entries()) await waitForFile(ready, `monitor ${i} to start`, 15_000);
			tmux.kill();
			writeFileSync(go, '');
			const statuses = [];
			for (const [i, {status}] of panes.entries())
				statuses.push(await waitForFile(status, `monitor ${i} to end`, 15_000));
			assert.deepEqual(
				statuses,
				Array(PANES).fill('129'),
				`every monitor ends by SIGHUP (129), none crashes (134 SIGABRT, 139 SIGSEGV): ${statuses.join(' ')}`,
			);
		} finally {
			tmux.kill();
			for (const {ready, status} of panes) endLeftOver(ready, status);
		}
	});
});

describe('the monitor when its terminal goes away and no SIGHUP comes', () => {
	it(
		'ends by SIGHUP once reading the terminal ends, without waiting to draw',
		{timeout: 60_000},
		async () => {
			const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-hangup-quiet-'));
			dirs.push(dir);
			const port = await freePort();
			const tmux = new Tmux();
			const status = path.join(dir, 'status');
			// The preload, not held (its go file exists), only says the monitor's process id.
			const hold = path.join(dir, 'hold.cjs');
			writeFileSync(hold, HOLD);
			const ready = path.join(dir, 'ready');
			const go = path.join(dir, 'go');
			writeFileSync(go, '');
			try {
				tmux.open('idle', ['sleep', '600'], {});
				const env = Object.entries({
					HOLD_READY: ready,
					HOLD_GO: go,
					CI: 'false',
					MPM_TUI_STATE_DIR: dir,
					HOME: dir,
					TERM: 'xterm-256color',
					NODE_ENV: 'production',
					PATH: process.env.PATH ?? '',
				}).map(([k, v]) => `${k}=${quote(v)}`);
				// As above, the pane's shell outlives the hangup: the monitor gets no SIGHUP, and it has
				// nothing to draw (no events), so only its reading the terminal can tell it is gone.
				const script = `trap '' HUP; env ${env.join(' ')} ${quote(process.execPath)} --require ${quote(hold)} ${quote(cliPath)} --port ${port}; echo "$?" > ${quote(status)}`;
				tmux.run('new-window', '-d', '-t', 'test', '-n', 'tui', script);
				await new Pane(tmux, 'test:tui').waitFor(
					(screen) => screen.includes(`● hosting 127.0.0.1:${port}`),
					'the monitor to host its server',
					15_000,
				);
				tmux.kill();
				assert.equal(await waitForFile(status, 'the monitor to end', 15_000), '129');
			} finally {
				tmux.kill();
				endLeftOver(ready, status);
			}
		},
	);
});
