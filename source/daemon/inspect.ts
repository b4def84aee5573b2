/**
 * Is the daemon running? Reads the PID file and checks that the process it names is really the
 * daemon before anyone reports on it or signals it: alive, the same kernel start time as recorded
 * (a reused pid is another program), and, where it answers, `/health` saying `mpm-tui` with that
 * pid. A process that is not provably ours is never signalled.
 */
import fs from 'node:fs';
import type {HealthInfo} from '../core/wire.js';
import {probe} from '../client/probe.js';
import {processStart} from '../server/state-dir.js';
import {readPidFile, type DaemonRecord} from './pid-file.js';

export type DaemonState =
	| {state: 'stopped'}
	/** Running and answering as itself. */
	| {state: 'running'; record: DaemonRecord; health: HealthInfo}
	/** Our process by its kernel start time, but /health does not answer as it (starting, or stuck). */
	| {state: 'unresponsive'; record: DaemonRecord; why: string}
	/** The PID file names a process that is gone, or one that is not the daemon. */
	| {state: 'stale'; record: DaemonRecord; why: string};

/**
 * Whether `pid` is a running process. A zombie (exited, not yet reaped: a detached daemon's
 * parent is init or a subreaper, which may reap late) still answers signal 0, so on Linux its
 * state is read too.
 */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	return !isZombie(pid);
}

function isZombie(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		// The state is the field after the command name (which may hold spaces and parentheses).
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
	} catch {
		return false;
	}
}

/** Whether the kernel's start time of `pid` contradicts the record (unknown on either side: no). */
export function startTimeDiffers(record: DaemonRecord): boolean {
	const now = processStart(record.pid);
	return record.procStart !== 0 && now !== 0 && now !== record.procStart;
}

/** True when the process the record names is still that process (not gone, not reused). */
export function stillThere(record: DaemonRecord): boolean {
	return isAlive(record.pid) && !startTimeDiffers(record);
}

export async function inspectDaemon(pidFile: string, token: string | undefined): Promise<DaemonState> {
	const record = readPidFile(pidFile);
	if (record === null) return {state: 'stopped'};
	if (!isAlive(record.pid)) return {state: 'stale', record, why: `pid ${record.pid} is not running`};
	if (startTimeDiffers(record))
		return {state: 'stale', record, why: `pid ${record.pid} is another process now (its start time differs)`};
	const found = await probe(record.url, token);
	if (found.kind === 'mpm-tui' && found.info.pid === record.pid)
		return {state: 'running', record, health: found.info};
	const answer =
		found.kind === 'none'
			? `nothing answers at ${record.url}`
			: found.kind === 'mpm-tui'
				? `${record.url} is answered by another mpm-tui server (pid ${found.info.pid})`
				: found.kind === 'claude-mpm'
					? `${record.url} is answered by a claude-mpm monitor`
					: `${record.url}: ${found.detail}`;
	// Without a start time to compare, only /health can say the process is ours.
	if (record.procStart === 0 || processStart(record.pid) === 0)
		return {state: 'stale', record, why: `pid ${record.pid} cannot be shown to be the daemon (${answer})`};
	return {state: 'unresponsive', record, why: answer};
}
