/**
 * What the server says about itself: the problems that need the user (the journal cannot write or
 * rotate), `GET /health`, and the `hello` an mpm-tui client gets on connect.
 */
import type {Journal} from './journal.js';
import type {Pipeline} from './pipeline.js';
import type {HealthInfo, HelloInfo} from './types.js';
import {VERSION} from './version.js';

export interface HealthParts {
	/** When the server started (ms since the epoch). */
	started: number;
	journal(): Journal | null;
	port(): number;
}

export function serverProblems(journal: Journal | null): string[] {
	const out: string[] = [];
	const fault = journal?.failure();
	if (fault)
		out.push(
			`journal cannot write (${fault.code}): events are refused until it can; forwarders spool them meanwhile`,
		);
	const rotation = journal?.rotationFailure();
	if (rotation) out.push(`journal cannot rotate: ${rotation}`);
	return out;
}

export function healthInfo({started, journal, port}: HealthParts): HealthInfo {
	const found = serverProblems(journal());
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

export function helloInfo(pipeline: Pipeline): HelloInfo {
	return {
		service: 'mpm-tui',
		version: VERSION,
		lastSeq: pipeline.lastSeq,
		firstSeq: pipeline.history.firstSeq,
		serverTime: new Date().toISOString(),
	};
}
