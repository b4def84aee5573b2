/**
 * Drains the forwarder's spool (events written while no server answered) into the pipeline.
 * Contract (docs/ARCHITECTURE.md): one line per event,
 * `{"mpm_spool":1,"id":"…","receivedAt":<epoch ms>,"event":<the hook JSON>}`. The file is renamed
 * to `<spool>.draining-<pid>.<n>` first (so the forwarder starts a fresh one); once nothing has
 * written to it for `settleMs` (a forwarder may have opened it just before the rename and still be
 * writing a large event into it), every line is ingested with its own id and time and the file is
 * deleted. The pipeline drops ids it has already accepted, so an event that was both delivered and
 * spooled, or written again by a forwarder that saw the spool renamed under it, appears once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {IngestMeta} from './pipeline.js';
import type {IngestResult} from './types.js';

export type IngestOne = (text: string, meta: IngestMeta) => IngestResult;

export interface DrainReport {
	files: number;
	/** Taken files still being written to: read on a later drain. */
	waiting: number;
	accepted: number;
	duplicates: number;
	rejected: number;
	errors: string[];
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Leftover `draining-<pid>` files from a server that died mid-drain, plus our own. */
function leftovers(spool: string): string[] {
	const dir = path.dirname(spool);
	const prefix = `${path.basename(spool)}.draining-`;
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch {
		return [];
	}
	return names
		.filter(name => name.startsWith(prefix))
		.filter(name => {
			const pid = Number(name.slice(prefix.length).split('.')[0]);
			return !Number.isInteger(pid) || pid === process.pid || !pidAlive(pid);
		})
		.map(name => path.join(dir, name));
}

function parseLine(line: string): {ok: true; text: string; meta: IngestMeta} | {ok: false; error: string} {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return {ok: false, error: 'spool line is not JSON'};
	}
	if (typeof value !== 'object' || value === null || (value as {mpm_spool?: unknown}).mpm_spool !== 1) {
		return {ok: false, error: 'spool line is not a {"mpm_spool":1,…} record'};
	}
	const entry = value as {id?: unknown; receivedAt?: unknown; event?: unknown};
	if (entry.event === undefined) return {ok: false, error: 'spool line has no event'};
	const meta: IngestMeta = {source: 'spool'};
	if (typeof entry.id === 'string' && entry.id !== '') meta.id = entry.id;
	if (typeof entry.receivedAt === 'number' && Number.isFinite(entry.receivedAt)) meta.receivedAt = entry.receivedAt;
	return {ok: true, text: JSON.stringify(entry.event), meta};
}

function drainFile(file: string, ingest: IngestOne, report: DrainReport): void {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		report.errors.push(`could not read ${file}: ${(error as Error).message}`);
		return;
	}
	report.files++;
	let lineNo = 0;
	for (const line of text.split('\n')) {
		lineNo++;
		if (line.trim() === '') continue;
		const parsed = parseLine(line);
		if (!parsed.ok) {
			report.rejected++;
			report.errors.push(`${path.basename(file)} line ${lineNo}: ${parsed.error}`);
			continue;
		}
		const result = ingest(parsed.text, parsed.meta);
		report.accepted += result.accepted;
		report.duplicates += result.duplicates;
		if (result.accepted === 0 && result.duplicates === 0) {
			report.rejected++;
			report.errors.push(`${path.basename(file)} line ${lineNo}: ${result.error ?? result.rejected[0]?.error ?? 'rejected'}`);
		}
	}
	fs.rmSync(file, {force: true});
}

/** How long a taken spool file must have gone unwritten before it is read. */
export const SPOOL_SETTLE_MS = 300;

let taken = 0;

/** Drains the spool once. Cheap when there is nothing to do (one failed rename, one readdir). */
export function drainSpool(spool: string, ingest: IngestOne, nowMs = Date.now(), settleMs = SPOOL_SETTLE_MS): DrainReport {
	const report: DrainReport = {files: 0, waiting: 0, accepted: 0, duplicates: 0, rejected: 0, errors: []};
	try {
		taken++;
		fs.renameSync(spool, `${spool}.draining-${process.pid}.${taken}`);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report.errors.push(`could not take the spool ${spool}: ${(error as Error).message}`);
	}
	const ready: Array<{file: string; mtimeMs: number}> = [];
	for (const file of leftovers(spool)) {
		let mtimeMs: number;
		try {
			mtimeMs = fs.statSync(file).mtimeMs;
		} catch {
			continue;
		}
		if (nowMs - mtimeMs < settleMs) report.waiting++;
		else ready.push({file, mtimeMs});
	}
	// Oldest first, so spooled events keep their order.
	for (const {file} of ready.sort((a, b) => a.mtimeMs - b.mtimeMs)) drainFile(file, ingest, report);
	return report;
}

/** Bytes waiting in the spool (0 when there is none). */
export function spoolBacklog(spool: string): number {
	try {
		return fs.statSync(spool).size;
	} catch {
		return 0;
	}
}

/** Events the forwarder could not spool because the spool was full (`<spool>.dropped`). */
export function spoolDropped(spool: string): number {
	try {
		const n = Number.parseInt(fs.readFileSync(`${spool}.dropped`, 'utf8'), 10);
		return Number.isFinite(n) ? n : 0;
	} catch {
		return 0;
	}
}
