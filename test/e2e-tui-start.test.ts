/**
 * The first frame comes before the link (tmux, the built `mpm-tui`): the header says
 * `◌ starting <address>` while the probe waits, and when the address cannot be used (a port held
 * by another program, an unsafe bind, a server that cannot start) the monitor leaves the
 * alternate screen and then prints the same one line and exit status as before it drew anything.
 * What the program writes is recorded with `tmux pipe-pane`, so the order of the frames, the
 * screen switch and the message is checked, not only the last screen.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {freePort} from './helpers/free-port.js';
import {cliPath, Tmux, type Pane} from './helpers/tmux-kit.js';

const tmux = new Tmux();
const dirs: string[] = [];
let windows = 0;

const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;
const ALT_SCREEN_OFF = '\u001B[?1049l';

function stateDir(): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-start-'));
	dirs.push(dir);
	return dir;
}

function tuiEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		CI: 'false',
		MPM_TUI_STATE_DIR: dir,
		HOME: dir,
		TERM: 'xterm-256color',
		NODE_ENV: 'production',
		PATH: process.env.PATH ?? '',
		MPM_TUI_TOKEN: '',
		CLAUDE_MPM_SOCKETIO_TOKEN: '',
		...extra,
	};
}

/** Starts the monitor in a new pane (after its output is recorded); the pane and the recorded bytes so far. */
function start(
	args: string[],
	env: Record<string, string>,
	work: string,
): {pane: Pane; output: () => string} {
	const name = `s${++windows}`;
	const bytesFile = path.join(work, `${name}.out`);
	// The pane waits for a key, so that recording starts before the program writes anything.
	const pane = tmux.open(
		name,
		['sh', '-c', 'read go; exec "$@"', 'sh', process.execPath, cliPath, ...args],
		env,
	);
	tmux.run('pipe-pane', '-t', pane.target, '-O', `cat >> '${bytesFile}'`);
	return {
		pane,
		output: () => (existsSync(bytesFile) ? readFileSync(bytesFile, 'latin1') : ''),
	};
}

/** Waits until the recorded output satisfies `check` (pipe-pane's `cat` may lag the screen). */
async function outputUntil(
	output: () => string,
	check: (text: string) => boolean,
	what: string,
	timeoutMs = 5000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = output();
		if (check(text)) return text;
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${what}; the output: ${JSON.stringify(text.slice(-800))}`);
		await new Promise((resolve) => setTimeout(resolve, 40));
	}
}

/** Output bytes as text (UTF-8), without escape sequences. */
const plain = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8').replace(ANSI, '');

/**
 * Checks that the recorded output drew the `◌ starting` header first, then left the alternate
 * screen, then printed `message` (and nothing of the monitor's after it), and that the pane shows
 * the shell's screen again with the message on it.
 */
async function assertDrawnThenRefused(
	run: {pane: Pane; output: () => string},
	port: number,
	message: RegExp,
	code: number,
): Promise<void> {
	const status = await run.pane.waitExit(15_000);
	assert.equal(status, code);
	const bytes = await outputUntil(
		run.output,
		(text) => /\[exit \d+\]/.test(text),
		'the exit line in the output',
	);
	const off = bytes.lastIndexOf(ALT_SCREEN_OFF);
	assert.ok(off > 0, 'the alternate screen is left');
	const drawn = plain(bytes.slice(0, off));
	assert.match(
		drawn,
		new RegExp(`◌ starting 127\\.0\\.0\\.1:${port} `),
		'the first frame shows the link as starting, with the address',
	);
	assert.doesNotMatch(drawn, /mpm-tui: /, 'no message on the alternate screen');
	const afterwards = plain(bytes.slice(off))
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '');
	assert.equal(afterwards.length, 2, JSON.stringify(afterwards));
	assert.match(afterwards[0], message);
	assert.equal(afterwards[1], `[exit ${code}]`);
	// The shell's screen is back: no header on it, the message is.
	const screen = run.pane.captureJoined();
	assert.doesNotMatch(screen, /◌ starting|● hosting/);
	assert.ok(
		screen.split('\n').some((line) => message.test(line)),
		screen,
	);
}

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
});

after(() => {
	tmux.kill();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

describe('the first frame, before the link', () => {
	it('shows ◌ starting while the probe waits, then leaves the screen with one line and exit 1 for a port held by another program', async () => {
		const work = stateDir();
		const port = await freePort();
		// Answers GET /health slowly, and not as a server mpm-tui knows.
		const other = http
			.createServer((_, res) => setTimeout(() => res.end('hello'), 300))
			.listen(port, '127.0.0.1');
		try {
			const run = start(['--port', String(port)], tuiEnv(work), work);
			run.pane.keys('Enter');
			await assertDrawnThenRefused(
				run,
				port,
				new RegExp(
					`^mpm-tui: 127\\.0\\.0\\.1:${port} is in use by another program \\(GET /health answered HTTP 200 with something that is not JSON\\); use another --port$`,
				),
				1,
			);
		} finally {
			other.close();
		}
	});

	it('an unsafe bind: drawn first, then the one-line refusal and exit 2, nothing hosted', async () => {
		const work = stateDir();
		const port = await freePort();
		const run = start(['--port', String(port), '--host', '0.0.0.0'], tuiEnv(work), work);
		run.pane.keys('Enter');
		await assertDrawnThenRefused(
			run,
			port,
			/^mpm-tui: refusing to listen on 0\.0\.0\.0 without a token: anyone on that network could read your prompts and files\. Set --token or MPM_TUI_TOKEN, or bind to 127\.0\.0\.1\.$/,
			2,
		);
		assert.equal(existsSync(path.join(work, 'journal.ndjson')), false, 'no server started');
	});

	it('a server that cannot start (a state dir others can write): drawn first, then the one-line reason and exit 1', async () => {
		const work = stateDir();
		const open = path.join(work, 'open');
		mkdirSync(open);
		chmodSync(open, 0o777);
		const port = await freePort();
		const run = start(['--port', String(port)], tuiEnv(work, {MPM_TUI_STATE_DIR: open}), work);
		run.pane.keys('Enter');
		await assertDrawnThenRefused(
			run,
			port,
			new RegExp(
				`^mpm-tui: cannot host the server on 127\\.0\\.0\\.1:${port}: the state dir ${open.replaceAll('.', '\\.')} .*$`,
			),
			1,
		);
	});

	it('q while the probe waits quits at once: exit 0, no message', async () => {
		const work = stateDir();
		const port = await freePort();
		// Accepts and never answers: the probe waits for its whole timeout.
		const sockets: net.Socket[] = [];
		const silent = net.createServer((socket) => void sockets.push(socket)).listen(port, '127.0.0.1');
		try {
			const run = start(['--port', String(port)], tuiEnv(work), work);
			run.pane.keys('Enter');
			await run.pane.waitFor((screen) => screen.includes(`◌ starting 127.0.0.1:${port}`), 'the first frame');
			run.pane.keys('q');
			assert.equal(await run.pane.waitExit(5000), 0);
			const bytes = await outputUntil(
				run.output,
				(text) => /\[exit \d+\]/.test(text),
				'the exit line in the output',
			);
			assert.doesNotMatch(plain(bytes), /mpm-tui: /);
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	});
});
