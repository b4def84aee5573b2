/**
 * The daemon's PID file, `<stateDir>/server.pid`, next to the journal and `server.lock`: written
 * by the daemon once it listens, removed by it when it stops. It says which process is the daemon
 * (pid and kernel start time, so a reused pid is told apart) and where it answers, so `server
 * status|stop` can check a process's identity before they report on it or signal it.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DaemonRecord {
	pid: number;
	/** The kernel's start time of the process (Linux /proc/<pid>/stat field 22); 0 when unknown. */
	procStart: number;
	/** The address it serves, e.g. `http://127.0.0.1:8765`. */
	url: string;
	host: string;
	port: number;
	/** When it started listening (epoch ms). */
	startedAt: number;
	version: string;
}

export interface DaemonFiles {
	pid: string;
	log: string;
	lock: string;
}

export function daemonFiles(stateDir: string): DaemonFiles {
	return {
		pid: path.join(stateDir, 'server.pid'),
		log: path.join(stateDir, 'server.log'),
		lock: path.join(stateDir, 'server.lock'),
	};
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The record in `file`, or null when there is none or it cannot be read as one. */
export function readPidFile(file: string): DaemonRecord | null {
	let value: unknown;
	try {
		value = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
	if (typeof value !== 'object' || value === null) return null;
	const v = value as Partial<Record<keyof DaemonRecord, unknown>>;
	if (!isCount(v.pid) || v.pid === 0 || typeof v.url !== 'string') return null;
	return {
		pid: v.pid,
		procStart: isCount(v.procStart) ? v.procStart : 0,
		url: v.url,
		host: typeof v.host === 'string' ? v.host : '',
		port: isCount(v.port) ? v.port : 0,
		startedAt: isCount(v.startedAt) ? v.startedAt : 0,
		version: typeof v.version === 'string' ? v.version : '',
	};
}

/** Writes the record whole (a temporary file renamed over it), readable by the user only. */
export function writePidFile(file: string, record: DaemonRecord): void {
	const temp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temp, `${JSON.stringify(record)}\n`, {mode: 0o600, flag: 'w'});
	fs.renameSync(temp, file);
}

/** Removes the PID file if it still names `pid` (a later daemon's file is left alone). */
export function removePidFile(file: string, pid: number): void {
	const held = readPidFile(file);
	if (held === null || held.pid === pid) fs.rmSync(file, {force: true});
}
