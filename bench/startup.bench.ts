/**
 * Start-up benchmark: how long each command takes to show something, against `node -e 0`
 * started the same way in the same run (median of 10, runs interleaved with the baseline's).
 *  1. the TUI's first frame (goal ≤ 3× the baseline, a GOAL line when one build is measured):
 *     `mpm-tui --port <free>` in a tmux pane,
 *     80×24, a fresh state dir each time, hosting (the common case) and connecting to a running
 *     server. The pane waits in `read` for a key; the clock starts when the bench sends it and
 *     stops when the header arrives in the pane's output, in any state (the first frame says
 *     `◌ starting …`: it is drawn before the probe), which `tmux pipe-pane` streams into a FIFO
 *     the bench reads (no polling of the screen). The baseline is `node -e` writing such a header
 *     line, started the same way. Also reported, against the same baseline: the link shown
 *     (`● hosting …` or `● connected …` in the stream);
 *  2. `mpm-tui hooks status` and `mpm-tui emit JSON` (to a running server): spawn to exit;
 *     `mpm-tui tail --since 0` (a running server holding one event): spawn to the first line on
 *     stdout. Baselines: `node -e 0` spawn to exit, and `node -e` writing a line, spawn to it.
 * Run: npm run bench startup (builds first), or node --import tsx bench/startup.bench.ts after a
 * build; an argument `tui` or `commands` runs only that part. MPM_TUI_STARTUP_CLI=<path> measures
 * another build of the CLI (e.g. an older one); several, comma-separated, are measured in the same
 * run, their runs interleaved (before/after figures under the same load). MPM_TUI_STARTUP_RUNS=<n>
 * another number of runs.
 */
import {execFileSync, spawn} from 'node:child_process';
import {createReadStream, existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from '../test/helpers/free-port.js';
import {cliPath as builtCli, hookPayload, Tmux, type Pane} from '../test/helpers/tmux-kit.js';
import {startMpmTui, type ServerProcess} from './lib/harness.js';
import {goal} from './lib/goal.js';
import {monitorEnv} from './lib/tui-load.js';

/** `tui`, `commands` or both (the default): which part to run. */
const parts = new Set(process.argv.slice(2).filter((a) => a === 'tui' || a === 'commands'));
if (parts.size === 0) parts.add('tui').add('commands');
const RUNS = Number(process.env.MPM_TUI_STARTUP_RUNS ?? 10);
const cliPaths = (process.env.MPM_TUI_STARTUP_CLI ?? builtCli).split(',').map((p) => path.resolve(p));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;
/** The header in any state: the first frame. */
const HEADER = /[●◌] (starting|hosting|connected|connecting|reconnecting) /;
/** The header once the link is up. */
const LINKED = /● (hosting|connected) /;

for (const cliPath of cliPaths) {
	if (!existsSync(cliPath)) {
		console.error(`build first: npm run build (no ${cliPath})`);
		process.exit(1);
	}
}
/** A build's name in the report, when there are several: `before/dist/cli.js`. */
const named = (cliPath: string, what: string) =>
	cliPaths.length > 1
		? `${path.relative(path.dirname(path.dirname(path.dirname(cliPath))), cliPath)}: ${what}`
		: what;

const work = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-startup-'));
const tmux = new Tmux();
// The session's first window stays, so that the server lives on while measured windows come and go.
tmux.open('keep', ['sleep', '3600'], {});
let windows = 0;

/**
 * Starts `command` in a new 80×24 tmux window once the bench presses Enter; ms from the key to
 * the header in the pane's output stream (`frame`), and to the link shown (`linked`).
 */
async function firstFrame(
	command: string[],
	env: Record<string, string>,
): Promise<{frame: number; linked: number}> {
	const name = `w${++windows}`;
	const fifo = path.join(work, `${name}.fifo`);
	execFileSync('mkfifo', [fifo]);
	const pane: Pane = tmux.open(name, ['sh', '-c', 'read go; exec "$@"', 'sh', ...command], env);
	const stream = createReadStream(fifo);
	let text = '';
	let started = 0;
	let frame = 0;
	const shown = new Promise<{frame: number; linked: number}>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`no linked header within 20 s; output: ${JSON.stringify(text.slice(-500))}`)),
			20_000,
		);
		stream.on('data', (chunk: Buffer | string) => {
			const now = performance.now();
			text += chunk.toString();
			if (started === 0) return;
			const plain = text.replace(ANSI, '');
			if (frame === 0 && HEADER.test(plain)) frame = now - started;
			if (frame > 0 && LINKED.test(plain)) {
				clearTimeout(timer);
				resolve({frame, linked: now - started});
			}
		});
		stream.on('error', reject);
	});
	tmux.run('pipe-pane', '-o', '-t', pane.target, `cat > '${fifo}'`);
	// The shell is waiting in `read` once its pane has started; give it a moment.
	await pane.waitFor(() => true, 'the pane');
	await sleep(150);
	started = performance.now();
	pane.keys('Enter');
	try {
		return await shown;
	} finally {
		tmux.run('kill-window', '-t', pane.target);
		stream.destroy();
		rmSync(fifo, {force: true});
	}
}

/** ms from spawn to the child's exit (`until: 'exit'`) or its first stdout bytes. */
function timed(args: string[], until: 'exit' | 'output', env: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {...process.env, NODE_ENV: 'production', ...env},
		});
		let err = '';
		child.stderr.on('data', (chunk: Buffer) => {
			err += chunk.toString();
		});
		if (until === 'output') {
			child.stdout.once('data', () => {
				resolve(performance.now() - started);
				child.kill('SIGTERM');
			});
		} else child.stdout.resume();
		child.on('exit', (code) => {
			if (until === 'exit') {
				if (code === 0) resolve(performance.now() - started);
				else reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
			}
		});
		child.on('error', reject);
	});
}

function stateEnv(): Record<string, string> {
	return {
		...monitorEnv(mkdtempSync(path.join(work, 'state-'))),
		MPM_TUI_TOKEN: '',
		CLAUDE_MPM_SOCKETIO_TOKEN: '',
	};
}

interface Row {
	what: string;
	ms: number[];
	base: number[];
}

/** The median of run-by-run ratios: each run against the baseline measured just before it. */
const paired = (row: Row) => median(row.ms.map((ms, i) => ms / row.base[i]));

function report(rows: Row[]): void {
	for (const row of rows) {
		const ms = median(row.ms);
		const base = median(row.base);
		console.log(
			`${row.what.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms   baseline ${base.toFixed(0).padStart(4)} ms   ${(ms / base).toFixed(2)}×   paired ${paired(row).toFixed(2)}×`,
		);
	}
}

let server: ServerProcess | null = null;
try {
	console.log(
		`cli: ${cliPaths.map((cliPath) => path.relative(process.cwd(), cliPath) || cliPath).join(', ')}; median of ${RUNS}, ratio to the same run's baseline (paired: the median of each run against the baseline measured just before it)`,
	);
	server = await startMpmTui(['--no-journal']);
	const payload = JSON.stringify(hookPayload(1));
	const accepted = await fetch(`http://127.0.0.1:${server.port}/api/events`, {
		method: 'POST',
		headers: {'Content-Type': 'application/json'},
		body: payload,
	});
	if (accepted.status !== 202) throw new Error(`the server answered ${accepted.status}`);
	const base = String(server.port);

	const header = (state: string) =>
		`process.stdout.write('\\u001b[?1049h\\u001b[32m● ${state} 127.0.0.1:8765\\u001b[39m\\n')`;
	if (parts.has('tui')) {
		const hostBase: number[] = [];
		const connectBase: number[] = [];
		const rows = cliPaths.map((cliPath) => ({
			cliPath,
			host: {what: named(cliPath, 'TUI first frame, hosting'), ms: [], base: hostBase} as Row,
			connect: {what: named(cliPath, 'TUI first frame, connecting'), ms: [], base: connectBase} as Row,
			hostLinked: {what: named(cliPath, 'TUI link shown (● hosting)'), ms: [], base: hostBase} as Row,
			connectLinked: {what: named(cliPath, 'TUI link shown (● connected)'), ms: [], base: connectBase} as Row,
		}));
		for (let i = 0; i < RUNS; i++) {
			hostBase.push((await firstFrame([process.execPath, '-e', header('hosting')], stateEnv())).frame);
			for (const row of rows) {
				const host = await firstFrame(
					[process.execPath, row.cliPath, '--port', String(await freePort())],
					stateEnv(),
				);
				row.host.ms.push(host.frame);
				row.hostLinked.ms.push(host.linked);
			}
			connectBase.push((await firstFrame([process.execPath, '-e', header('connected')], stateEnv())).frame);
			for (const row of rows) {
				const connect = await firstFrame([process.execPath, row.cliPath, '--port', base], stateEnv());
				row.connect.ms.push(connect.frame);
				row.connectLinked.ms.push(connect.linked);
			}
		}
		report(rows.flatMap((row) => [row.host, row.connect, row.hostLinked, row.connectLinked]));
		// The goal is of this build; several builds (MPM_TUI_STARTUP_CLI) are a comparison.
		if (rows.length === 1) {
			console.log('');
			for (const [name, row] of [
				['startup.tui.hosting', rows[0].host],
				['startup.tui.connecting', rows[0].connect],
			] as const)
				goal(name, paired(row), '<=', 3, {unit: '×', digits: 2});
		}
	}
	if (parts.has('commands')) {
		const exitBase: number[] = [];
		const lineBase: number[] = [];
		const rows = cliPaths.map((cliPath) => ({
			cliPath,
			hooks: {what: named(cliPath, 'hooks status (to exit)'), ms: [], base: exitBase} as Row,
			emit: {what: named(cliPath, 'emit JSON (to exit)'), ms: [], base: exitBase} as Row,
			tail: {what: named(cliPath, 'tail --since 0 (to first line)'), ms: [], base: lineBase} as Row,
			help: {what: named(cliPath, '--help (to exit)'), ms: [], base: exitBase} as Row,
		}));
		for (let i = 0; i < RUNS; i++) {
			const env = stateEnv();
			exitBase.push(await timed(['-e', '0'], 'exit'));
			lineBase.push(await timed(['-e', "process.stdout.write('{}\\n')"], 'output'));
			for (const row of rows) {
				row.hooks.ms.push(await timed([row.cliPath, 'hooks', 'status'], 'exit', env));
				row.emit.ms.push(await timed([row.cliPath, 'emit', '--port', base, payload], 'exit', env));
				row.tail.ms.push(await timed([row.cliPath, 'tail', '--since', '0', '--port', base], 'output', env));
				row.help.ms.push(await timed([row.cliPath, '--help'], 'exit', env));
			}
		}
		report(rows.flatMap((row) => [row.hooks, row.emit, row.tail, row.help]));
	}
} finally {
	tmux.kill();
	await server?.stop();
	rmSync(work, {recursive: true, force: true});
}
