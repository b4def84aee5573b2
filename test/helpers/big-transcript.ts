/** A large transcript in Claude Code's shapes (for the catch-up test and bench): per request two split assistant lines and a tool-result user line. */
import fs from 'node:fs';
import {assistantLine, userLine} from './transcript-kit.js';

/** Writes about `bytes` bytes to `file`; returns how many distinct requests (records to expect) it holds. */
export function writeBigTranscript(file: string, bytes: number, session = 'sess-big'): number {
	const fd = fs.openSync(file, 'w');
	let written = 0;
	let requests = 0;
	const text =
		'Looking at the failing test, the fixture builds the table before the rows are sorted. '.repeat(16);
	const result = 'PASS test/a.test.ts\n'.repeat(150);
	// Lines made from a template per request: JSON.stringify for each of a million fields would make the test slow.
	const first = assistantLine({
		messageId: 'MSGID',
		requestId: 'REQID',
		output: 1,
		session,
		text,
		cacheRead: 20_000,
	});
	const last = assistantLine({
		messageId: 'MSGID',
		requestId: 'REQID',
		output: 321,
		session,
		text,
		cacheRead: 20_000,
	});
	const user = userLine(result, session);
	const parts: string[] = [];
	let pending = 0;
	while (written < bytes) {
		requests++;
		const id = `msg_${requests.toString(36).padStart(8, '0')}`;
		const req = `req_${requests.toString(36).padStart(8, '0')}`;
		const chunk = `${first.replace('MSGID', id).replace('REQID', req)}\n${last.replace('MSGID', id).replace('REQID', req)}\n${user}\n`;
		parts.push(chunk);
		pending += chunk.length;
		written += chunk.length;
		if (pending > 4 * 1024 * 1024) {
			fs.writeSync(fd, parts.join(''));
			parts.length = 0;
			pending = 0;
		}
	}
	fs.writeSync(fd, parts.join(''));
	fs.closeSync(fd);
	return requests;
}
