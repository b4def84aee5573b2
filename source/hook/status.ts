/**
 * What `mpm-tui hooks status` reports besides the settings files: whether the server answers
 * `GET /health`, and the forwarder's spool backlog (bytes, lines, events dropped when it was full).
 */
import fs from 'node:fs';

export type Health = {ok: true; service: string; version: string; pid: number | undefined} | {ok: false; error: string};

export async function probeHealth(baseUrl: string, token: string | undefined, timeoutMs = 800): Promise<Health> {
	try {
		const response = await fetch(`${baseUrl}/health`, {
			signal: AbortSignal.timeout(timeoutMs),
			headers: token ? {authorization: `Bearer ${token}`} : {},
		});
		if (!response.ok) return {ok: false, error: `GET /health answered ${response.status}`};
		const body = (await response.json()) as {service?: unknown; version?: unknown; pid?: unknown};
		return {
			ok: true,
			service: typeof body.service === 'string' ? body.service : 'unknown service',
			version: typeof body.version === 'string' ? body.version : '?',
			pid: typeof body.pid === 'number' ? body.pid : undefined,
		};
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		if ((error as Error).name === 'TimeoutError') return {ok: false, error: `no answer within ${timeoutMs} ms`};
		return {ok: false, error: cause === 'ECONNREFUSED' ? 'nothing is listening' : (error as Error).message};
	}
}

export interface SpoolStatus {
	path: string;
	bytes: number;
	lines: number;
	dropped: number;
}

export function spoolStatus(spool: string): SpoolStatus {
	let bytes = 0;
	let lines = 0;
	try {
		// Never through a link, and never a FIFO (reading one would hang this command): a regular file or nothing.
		const fd = fs.openSync(spool, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
		try {
			if (fs.fstatSync(fd).isFile()) {
				const data = fs.readFileSync(fd);
				bytes = data.length;
				for (const byte of data) if (byte === 0x0a) lines++;
			}
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		// No spool: nothing waiting.
	}
	// The forwarders append one byte to `<spool>.dropped` per event the full spool refused: the count is its size (as server/spool.ts reads it).
	let dropped = 0;
	try {
		const stat = fs.lstatSync(`${spool}.dropped`);
		if (stat.isFile()) dropped = stat.size;
	} catch {
		// Nothing dropped.
	}
	return {path: spool, bytes, lines, dropped};
}
