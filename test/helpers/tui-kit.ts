/**
 * Helpers for the TUI's ink-testing-library tests: records, key codes, and waiting for a frame.
 */
import {takeDemo} from '../../source/core/demo.js';
import {normalize} from '../../source/core/normalize.js';
import type {EventRecord} from '../../source/core/record.js';

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlD: '\u0004',
	ctrlU: '\u0015',
};

let nextSeq = 1;

/** Records made by the real normalizer from demo payloads, with seq numbers. */
export function demoRecords(n: number, seed = 7, start = Date.parse('2026-11-23T10:00:00Z')): EventRecord[] {
	let at = start;
	return takeDemo(seed, n).map((step, i) => {
		at += step.delayMs;
		const result = normalize(step.payload, {
			id: `demo-${seed}-${i}`,
			receivedAt: new Date(at).toISOString(),
			source: 'demo',
		});
		if (!result.ok) throw new Error(`demo payload rejected: ${result.error}`);
		return {...result.record, seq: nextSeq++};
	});
}

/** A hand-made record. */
export function record(fields: Partial<EventRecord> & {summary: string}): EventRecord {
	const seq = fields.seq ?? nextSeq++;
	return {
		seq,
		id: `r${seq}`,
		time: '2026-11-23T10:00:00.000Z',
		received: '2026-11-23T10:00:00.000Z',
		session: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
		type: 'PreToolUse',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: '/home/u/app',
		source: 'hook',
		payload: {},
		...fields,
	};
}

export function strip(text: string | undefined): string {
	return (text ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `lastFrame` until `check` holds (the frame without colours), or fails after `timeoutMs`. */
export async function waitForFrame(
	lastFrame: () => string | undefined,
	check: (frame: string) => boolean,
	timeoutMs = 3000,
	what = 'the expected screen',
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = strip(lastFrame());
		if (check(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${frame}`);
		await sleep(10);
	}
}

/** Types keys into an ink-testing-library app, with the small pauses Ink's input parsing needs (Esc waits for a sequence). */
export async function pressKeys(
	app: {stdin: {write(data: string): void}},
	...inputs: string[]
): Promise<void> {
	for (const input of inputs) {
		app.stdin.write(input);
		await sleep(input === keys.escape ? 30 : 8);
	}
	await sleep(20);
}
