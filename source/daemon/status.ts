/**
 * `mpm-tui server status`: running (pid, address, uptime, events, clients, spool backlog, and the
 * team's Redis with `--redis`), stale
 * PID file, or stopped. Exit codes follow LSB's `status`: 0 running, 1 a PID file names a
 * process that is gone or not the daemon, 3 stopped, 4 running but not answering.
 */
import type {Config} from '../config.js';
import {showControls} from '../core/terminal-safe.js';
import {bytes, describeRunning, duration} from './describe.js';
import {inspectDaemon} from './inspect.js';
import {daemonFiles} from './pid-file.js';

interface StatusFigures {
	events?: {total?: unknown; lastSeq?: unknown};
	clients?: {mpmTui?: unknown; claudeMpm?: unknown; total?: unknown};
	spool?: {backlogBytes?: unknown};
	team?: {redis?: unknown; connected?: unknown; backlog?: unknown; lastSeq?: unknown; error?: unknown};
}

/** A text from the answer, made safe for the terminal ('' when it is not a string). */
const text = (value: unknown): string => (typeof value === 'string' ? showControls(value) : '');

/** The team line (`--redis`, docs/team.md): Redis (its password already shown as ***), reached or away, and the backlog. */
function teamLine(team: NonNullable<StatusFigures['team']>): string {
	const state = team.connected === true ? 'connected' : `away${team.error ? ` (${text(team.error)})` : ''}`;
	return `  team ${text(team.redis)} ${state}, last team seq ${count(team.lastSeq)}, ${count(team.backlog)} events not shipped yet`;
}

/** A count from the answer, 0 when it is not one (nothing but digits reaches the terminal). */
const count = (value: unknown): number =>
	Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;

async function figures(url: string, token: string | undefined): Promise<StatusFigures | string> {
	const headers: Record<string, string> = {Accept: 'application/json'};
	if (token) headers.Authorization = `Bearer ${token}`;
	try {
		const response = await fetch(new URL('/api/status', url), {headers, signal: AbortSignal.timeout(2000)});
		if (!response.ok) return `GET /api/status answered HTTP ${response.status}`;
		return (await response.json()) as StatusFigures;
	} catch (error) {
		return `GET /api/status failed: ${(error as Error).message}`;
	}
}

export async function daemonStatus(config: Config, out: (line: string) => void): Promise<number> {
	const files = daemonFiles(config.stateDir);
	const found = await inspectDaemon(files.pid, config.token);
	switch (found.state) {
		case 'stopped':
			out('stopped');
			return 3;
		case 'stale':
			out(`stale PID file ${files.pid}: ${found.why}`);
			return 1;
		case 'unresponsive':
			out(`running but not answering: ${describeRunning(found.record)}: ${found.why}`);
			return 4;
		case 'running': {
			const {record, health} = found;
			out(`running: ${describeRunning(record)}, up ${duration(health.uptime)}, version ${health.version}`);
			const got = await figures(record.url, config.token);
			if (typeof got === 'string') out(`  (no figures: ${got})`);
			else {
				const c = got.clients ?? {};
				out(`  events ${count(got.events?.total)} (last seq ${count(got.events?.lastSeq)})`);
				out(`  clients ${count(c.total)} (mpm-tui ${count(c.mpmTui)}, claude-mpm ${count(c.claudeMpm)})`);
				out(`  spool backlog ${bytes(count(got.spool?.backlogBytes))}`);
				if (got.team) out(teamLine(got.team));
			}
			if ((health.problems ?? []).length > 0) out(`  degraded: see mpm-tui server logs`);
			out(`  log ${files.log}`);
			return 0;
		}
	}
}
