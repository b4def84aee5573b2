/**
 * `mpm-tui server stop`: SIGTERM to the daemon (it stops accepting, flushes the journal, closes
 * its sockets and removes its PID file), then SIGKILL if it is still there after the timeout.
 * Only a process shown to be the daemon (inspect.ts) is signalled; a PID file naming anything
 * else is removed as stale.
 */
import type {Config} from '../config.js';
import {inspectDaemon, stillThere} from './inspect.js';
import {daemonFiles, removePidFile, type DaemonRecord} from './pid-file.js';

export interface StopOptions {
	/** How long the daemon has to stop by itself (default 10 s). */
	timeoutMs?: number;
	out: (line: string) => void;
	err: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gone(record: DaemonRecord, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (stillThere(record)) {
		if (Date.now() >= deadline) return false;
		await sleep(50);
	}
	return true;
}

export async function stopDaemon(config: Config, options: StopOptions): Promise<number> {
	const files = daemonFiles(config.stateDir);
	const found = await inspectDaemon(files.pid, config.token);
	if (found.state === 'stopped') {
		options.out('not running');
		return 0;
	}
	if (found.state === 'stale') {
		removePidFile(files.pid, found.record.pid);
		options.out(`not running; removed a stale PID file (${found.why})`);
		return 0;
	}
	const {record} = found;
	try {
		process.kill(record.pid, 'SIGTERM');
	} catch (error) {
		options.err(`cannot signal pid ${record.pid}: ${(error as Error).message}`);
		return 1;
	}
	const timeoutMs = options.timeoutMs ?? 10_000;
	if (await gone(record, timeoutMs)) {
		removePidFile(files.pid, record.pid);
		options.out(`stopped (pid ${record.pid})`);
		return 0;
	}
	options.err(
		`pid ${record.pid} did not stop within ${timeoutMs / 1000} s; killing it (its journal may miss its last events)`,
	);
	try {
		process.kill(record.pid, 'SIGKILL');
	} catch (error) {
		options.err(`cannot kill pid ${record.pid}: ${(error as Error).message}`);
		return 1;
	}
	if (!(await gone(record, 5000))) {
		options.err(`pid ${record.pid} is still there after SIGKILL`);
		return 1;
	}
	removePidFile(files.pid, record.pid);
	options.out(`killed (pid ${record.pid})`);
	return 0;
}
