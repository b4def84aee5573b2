/**
 * `--replay FILE.ndjson [--speed N]`: reads a recorded stream (the `--server-only` output, or raw
 * hook payloads, one JSON value per line) and plays it at the recorded pace × speed. Bad lines are
 * counted and skipped; long silences are cut to MAX_GAP_MS so a replay never looks stuck.
 */
import {promises as fs} from 'node:fs';
import {normalize} from '../../core/normalize.js';
import type {EventRecord} from '../../core/record.js';

export const MAX_GAP_MS = 5000;

export interface LoadedReplay {
	records: EventRecord[];
	/** Lines that were not an event, with the first few reasons. */
	bad: number;
	firstErrors: string[];
}

export class ReplayError extends Error {}

export async function loadReplay(file: string): Promise<LoadedReplay> {
	let text: string;
	try {
		text = await fs.readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new ReplayError(`--replay: no such file: ${file}`);
		if (code === 'EISDIR') throw new ReplayError(`--replay: ${file} is a directory, not an NDJSON file`);
		if (code === 'EACCES') throw new ReplayError(`--replay: no permission to read ${file}`);
		throw new ReplayError(`--replay: cannot read ${file}: ${(error as Error).message}`);
	}
	const records: EventRecord[] = [];
	const firstErrors: string[] = [];
	let bad = 0;
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].trim();
		if (line === '') continue;
		let value: unknown;
		let error: string | null = null;
		try {
			value = JSON.parse(line);
		} catch {
			error = 'not JSON';
		}
		if (error === null) {
			const result = normalize(value, {id: `replay-${i + 1}`, receivedAt: new Date(0).toISOString(), source: 'replay'});
			if (result.ok) {
				const seq = (value as {seq?: unknown}).seq;
				records.push({...result.record, seq: typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? seq : records.length + 1});
				continue;
			}
			error = result.error;
		}
		bad++;
		if (firstErrors.length < 3) firstErrors.push(`line ${i + 1}: ${error}`);
	}
	if (records.length === 0) {
		throw new ReplayError(`--replay: ${file} holds no events${bad > 0 ? ` (${bad} bad line${bad === 1 ? '' : 's'}; ${firstErrors.join('; ')})` : ''}`);
	}
	return {records, bad, firstErrors};
}

export interface ReplayPlayer {
	setPaused(paused: boolean): void;
	stop(): void;
}

/** Plays `records` into `onBatch` at their recorded pace × `speed`; events close together go as one batch. */
export function playReplay(records: readonly EventRecord[], speed: number, onBatch: (batch: EventRecord[]) => void, onDone: () => void): ReplayPlayer {
	let index = 0;
	let timer: NodeJS.Timeout | undefined;
	let paused = false;
	let stopped = false;
	const timeOf = (r: EventRecord | undefined) => (r ? Date.parse(r.time) : NaN);
	const gapAfter = (i: number) => {
		const gap = timeOf(records[i + 1]) - timeOf(records[i]);
		return Number.isFinite(gap) ? Math.min(MAX_GAP_MS, Math.max(0, gap)) / speed : 0;
	};
	const tick = () => {
		timer = undefined;
		if (paused || stopped) return;
		const batch: EventRecord[] = [];
		let wait = 0;
		while (index < records.length) {
			batch.push(records[index]);
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
