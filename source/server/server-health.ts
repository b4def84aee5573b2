/**
 * What the server says about itself: the problems that need the user (the journal cannot write,
 * rotate or keep its seq high-water mark, the team's Redis is away), `GET /health`, and the `hello` an mpm-tui client gets on connect.
 */
import type {Journal} from './journal.js';
import type {Pipeline} from './pipeline.js';
import type {Team} from './team/team.js';
import type {HealthInfo, HelloInfo} from './types.js';
import {VERSION} from './version.js';

export interface HealthParts {
	/** When the server started (ms since the epoch). */
	started: number;
	journal(): Journal | null;
	/** Team mode (`--redis`): the instance, once it is made. */
	team(): Team | null;
	port(): number;
}

export function serverProblems(journal: Journal | null, team: Team | null): string[] {
	const out: string[] = [];
	const fault = journal?.failure();
	if (fault)
		out.push(
			`journal cannot write (${fault.code}): events are refused until it can; forwarders spool them meanwhile`,
		);
	const rotation = journal?.rotationFailure();
	if (rotation) out.push(`journal cannot rotate: ${rotation}`);
	const highWater = journal?.highWaterFailure();
	if (highWater) out.push(`journal ${highWater}`);
	const away = team?.problem();
	if (away) out.push(away);
	return out;
}

export function healthInfo({started, journal, team, port}: HealthParts): HealthInfo {
	const found = serverProblems(journal(), team());
	const info: HealthInfo = {
		status: found.length > 0 ? 'degraded' : 'ok',
		service: 'mpm-tui',
		version: VERSION,
		pid: process.pid,
		uptime: Math.round((Date.now() - started) / 1000),
		port: port(),
	};
	if (found.length > 0) info.problems = found;
	return info;
}

/** With a team, its seq and history (the team's events) stand for the pipeline's. */
export function helloInfo(pipeline: Pipeline, team: Team | null): HelloInfo {
	return {
		service: 'mpm-tui',
		version: VERSION,
		lastSeq: team ? team.lastSeq : pipeline.lastSeq,
		firstSeq: (team?.history ?? pipeline.history).firstSeq,
		serverTime: new Date().toISOString(),
	};
}
