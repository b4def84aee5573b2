/**
 * `mpm-tui server start`: runs `mpm-tui --server-only --daemon` detached (its own session, stdin
 * and stdout closed, stderr into the log) and returns once the daemon's `/health` answers with its
 * pid. When it fails to start, the reason is the daemon's own log lines. Two starts at once: the
 * state-dir lock lets one daemon run; the other start waits for it to answer and names it.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {checkPrivateDirectory} from '../server/state-dir.js';
import {inspectDaemon, isAlive} from './inspect.js';
import {describeRunning} from './describe.js';
import {rotateIfFull, tailOf} from './log-file.js';
import {daemonFiles} from './pid-file.js';

export interface StartOptions {
	/** Keep the NDJSON stream: append it to this file (off by default). */
	ndjson?: string;
	/** How long to wait for `/health` (default 15 s). */
	timeoutMs?: number;
	out: (line: string) => void;
	err: (line: string) => void;
}

/** The flags that make the daemon's configuration this one (the token and the Redis URL go by environment, not argv, where `ps` would show them). */
export function daemonArgs(config: Config, ndjson: string | undefined): string[] {
	const args = ['--server-only', '--daemon', '--port', String(config.port), '--host', config.host];
	args.push('--history', String(config.history), '--history-bytes', String(config.historyBytes));
	if (config.journal) args.push('--journal', config.journal);
	else args.push('--no-journal');
	if (config.filter) args.push('--filter', config.filter);
	if (!config.transcripts.follow) args.push('--no-transcripts');
	if (config.transcripts.fromStart) args.push('--transcripts-from-start');
	if (config.otelKeepIdentity) args.push('--otel-keep-identity');
	if (ndjson) args.push('--ndjson', path.resolve(ndjson));
	return args;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDaemon(config: Config, options: StartOptions): Promise<number> {
	const files = daemonFiles(config.stateDir);
	const problem = checkPrivateDirectory(config.stateDir);
	if (problem) {
		options.err(problem);
		return 1;
	}
	const before = await inspectDaemon(files.pid, config.token);
	if (before.state === 'running') {
		options.out(`already running: ${describeRunning(before.record)}`);
		return 0;
	}
	if (before.state === 'unresponsive') {
		options.err(
			`a daemon (pid ${before.record.pid}) is running but not answering: ${before.why}; see mpm-tui server logs, or mpm-tui server stop`,
		);
		return 1;
	}
	if (before.state === 'stale') {
		fs.rmSync(files.pid, {force: true});
		options.out(`removed a stale PID file (${before.why})`);
	}

	rotateIfFull(files.log);
	const logFd = fs.openSync(
		files.log,
		fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW,
		0o600,
	);
	const offset = fs.fstatSync(logFd).size;
	// The Redis URL (team mode) may hold a password: by environment too.
	const env = {...process.env, MPM_TUI_TOKEN: config.token ?? '', MPM_TUI_REDIS_URL: config.redis?.url ?? ''};
	const child = spawn(
		process.execPath,
		[...process.execArgv, process.argv[1], ...daemonArgs(config, options.ndjson)],
		{detached: true, stdio: ['ignore', 'ignore', logFd], env},
	);
	fs.closeSync(logFd);
	let exit: string | null = null;
	child.on('exit', (code, signal) => {
		exit = signal ? `signal ${signal}` : `code ${code}`;
	});
	child.on('error', (error) => {
		exit = error.message;
	});
	const pid = child.pid;
	const deadline = Date.now() + (options.timeoutMs ?? 15_000);
	try {
		while (Date.now() < deadline && exit === null) {
			const now = await inspectDaemon(files.pid, config.token);
			if (now.state === 'running' && now.record.pid === pid) {
				options.out(`started: ${describeRunning(now.record)}; log ${files.log}`);
				return 0;
			}
			await sleep(100);
		}
		if (exit === null) {
			options.err(
				`the daemon (pid ${pid}) did not answer within ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s; see ${files.log}`,
			);
			return 1;
		}
		// It stopped. Another start's daemon may hold the state dir: wait for it while it starts. A
		// server that listens and writes no PID file is not a daemon (a monitor or --server-only).
		let listeningSince = 0;
		while (Date.now() < deadline) {
			const other = await inspectDaemon(files.pid, config.token);
			if (other.state === 'running') {
				options.out(`already running: ${describeRunning(other.record)}`);
				return 0;
			}
			const owner = lockOwner(files.lock);
			if (owner === null) break;
			if (owner.listening) {
				listeningSince ||= Date.now();
				if (Date.now() - listeningSince > 1000) break;
			}
			await sleep(100);
		}
		// Its own lines (and unstamped ones: what it wrote to stderr as it died), not another daemon's.
		let logged: string;
		try {
			logged = tailOf(files.log, 200, offset) ?? '';
		} catch (error) {
			logged = `(cannot read the log: ${(error as Error).message})`;
		}
		const reason = logged
			.split('\n')
			.filter((line) => !/^\S+ \[\d+\] /.test(line) || line.includes(` [${pid}] `))
			.slice(-20)
			.join('\n')
			.trim();
		options.err(`the daemon did not start (exit ${exit})${reason ? `:\n${reason}` : `; see ${files.log}`}`);
		return 1;
	} finally {
		child.unref();
	}
}

/** The live process `server.lock` names (another server holding the state dir), and whether it listens yet; null when none. */
function lockOwner(lock: string): {pid: number; listening: boolean} | null {
	try {
		const owner = JSON.parse(fs.readFileSync(lock, 'utf8')) as {pid?: unknown; url?: unknown};
		if (!Number.isSafeInteger(owner.pid) || !isAlive(owner.pid as number)) return null;
		return {pid: owner.pid as number, listening: typeof owner.url === 'string'};
	} catch {
		return null;
	}
}
