/**
 * `--replay FILE.ndjson [--speed N]`: reads a recorded stream (the `--server-only` output, the
 * journal, an export, a spool file, or raw hook payloads, one JSON value per line) and plays it at
 * the recorded pace × speed. Bad lines are counted and skipped with their reasons (replay-line.ts);
 * a file too large to hold is refused before it is read. Long silences are cut to MAX_GAP_MS so
 * a replay never looks stuck. Events without a time of their own (raw hook payloads) are played
 * EVEN_GAP_MS apart (× speed) and stamped with the clock as they are played, so their times and
 * the ages of their sessions read as now; records and spool lines keep their own times.
 */
import {constants, promises as fs} from 'node:fs';
import type {EventRecord} from '../../core/record.js';
import {showControlsInLine} from '../../core/terminal-safe.js';
import {ellipsize} from '../../core/text.js';
import {groupedCount} from '../../core/count-format.js';
import {isUntimed, replayLine, trimLine} from './replay-line.js';

export const MAX_GAP_MS = 5000;

/** How far apart events without a time of their own are played (before `speed`). */
export const EVEN_GAP_MS = 200;

/** Recordings larger than this are refused: all of it is held in memory (about its own size again as records). */
export const MAX_REPLAY_BYTES = 128 * 1024 * 1024;
/** And at most this many lines (each event held costs memory of its own however short its line: docs/performance.md, TUI). */
export const MAX_REPLAY_LINES = 500_000;

export interface LoadedReplay {
	records: EventRecord[];
	/** Lines that were not an event, with the first few reasons. */
	bad: number;
	firstErrors: string[];
}

export class ReplayError extends Error {}

/** A name or reason for a message on the terminal: one line, no controls. */
function safe(text: string, max = 200): string {
	return ellipsize(showControlsInLine(text), max);
}

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The whole file, if it is a regular file within the bounds. A FIFO or device is refused without waiting on it. */
async function readRecording(file: string): Promise<Buffer> {
	const name = safe(file, 500);
	let handle: fs.FileHandle;
	try {
		handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new ReplayError(`--replay: no such file: ${name}`);
		if (code === 'EACCES') throw new ReplayError(`--replay: no permission to read ${name}`);
		throw new ReplayError(`--replay: cannot read ${name}: ${safe((error as Error).message)}`);
	}
	try {
		const stat = await handle.stat();
		if (stat.isDirectory()) throw new ReplayError(`--replay: ${name} is a directory, not an NDJSON file`);
		if (!stat.isFile())
			throw new ReplayError(
				`--replay: ${name} is not a regular file (a pipe, device or socket cannot be replayed; save it to a file first)`,
			);
		if (stat.size > MAX_REPLAY_BYTES) {
			throw new ReplayError(
				`--replay: ${name} is ${MiB(stat.size)}; recordings over ${MiB(MAX_REPLAY_BYTES)} are not loaded (replay a part: tail -n 100000 FILE > part.ndjson)`,
			);
		}
		// Exactly the size it has now: a file still being written (a live journal) is read up to here.
		const bytes = Buffer.alloc(stat.size);
		let filled = 0;
		while (filled < bytes.length) {
			const {bytesRead} = await handle.read(bytes, filled, bytes.length - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		return bytes.subarray(0, filled);
	} catch (error) {
		if (error instanceof ReplayError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EISDIR') throw new ReplayError(`--replay: ${name} is a directory, not an NDJSON file`);
		throw new ReplayError(`--replay: cannot read ${name}: ${safe((error as Error).message)}`);
	} finally {
		await handle.close();
	}
}

function countLines(bytes: Buffer): number {
	let lines = 0;
	for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
	return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? lines + 1 : lines;
}

export async function loadReplay(file: string): Promise<LoadedReplay> {
	let bytes = await readRecording(file);
	const name = safe(file, 500);
	const lines = countLines(bytes);
	if (lines > MAX_REPLAY_LINES) {
		throw new ReplayError(
			`--replay: ${name} has ${groupedCount(lines)} lines; recordings over ${groupedCount(MAX_REPLAY_LINES)} are not loaded (replay a part: tail -n 100000 FILE > part.ndjson)`,
		);
	}
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
	const records: EventRecord[] = [];
	const firstErrors: string[] = [];
	let bad = 0;
	let start = 0;
	for (let lineNo = 1; start < bytes.length; lineNo++) {
		let end = bytes.indexOf(0x0a, start);
		if (end === -1) end = bytes.length;
		const line = trimLine(bytes.subarray(start, end));
		start = end + 1;
		if (line.length === 0) continue;
		const result = replayLine(line, lineNo);
		if (result.ok) {
			records.push({...result.record, seq: result.seq ?? records.length + 1});
			continue;
		}
		bad++;
		if (firstErrors.length < 3) firstErrors.push(`line ${lineNo}: ${safe(result.error)}`);
	}
	if (records.length === 0) {
		throw new ReplayError(
			`--replay: ${name} holds no events${bad > 0 ? ` (${bad} bad line${bad === 1 ? '' : 's'}; ${firstErrors.join('; ')})` : ''}`,
		);
	}
	return {records, bad, firstErrors};
}

export interface ReplayPlayer {
	setPaused(paused: boolean): void;
	stop(): void;
}

/**
 * Plays `records` into `onBatch` at their recorded pace × `speed`; events close together go as one
 * batch. An event without a time of its own is played EVEN_GAP_MS / speed after the one before it
 * and handed on with the time it is played at.
 */
export function playReplay(
	records: readonly EventRecord[],
	speed: number,
	onBatch: (batch: EventRecord[]) => void,
	onDone: () => void,
): ReplayPlayer {
	let index = 0;
	let timer: NodeJS.Timeout | undefined;
	let paused = false;
	let stopped = false;
	const gapAfter = (i: number) => {
		const a = records[i].time;
		const b = records[i + 1].time;
		if (isUntimed(a) || isUntimed(b)) return EVEN_GAP_MS / speed;
		const gap = Date.parse(b) - Date.parse(a);
		return Number.isFinite(gap) ? Math.min(MAX_GAP_MS, Math.max(0, gap)) / speed : 0;
	};
	const tick = () => {
		timer = undefined;
		if (paused || stopped) return;
		const batch: EventRecord[] = [];
		const now = new Date().toISOString();
		let wait = 0;
		while (index < records.length) {
			const record = records[index];
			batch.push(isUntimed(record.time) ? {...record, time: now} : record);
			wait = index + 1 < records.length ? gapAfter(index) : 0;
			index++;
			if (wait >= 15 || batch.length >= 2000) break;
		}
		onBatch(batch);
		if (index >= records.length) {
			onDone();
			return;
		}
		timer = setTimeout(tick, wait);
	};
	timer = setTimeout(tick, 0);
	return {
		setPaused(value) {
			paused = value;
			if (!paused && !timer && !stopped && index < records.length) timer = setTimeout(tick, 0);
		},
		stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
		},
	};
}
