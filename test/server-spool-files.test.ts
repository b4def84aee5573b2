/**
 * The spool drain's file handling on its own: which directories may hold a spool, how a taken file
 * is read line by line from where a drain stopped, and the names it finds next to the spool.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Pipeline} from '../source/server/pipeline.js';
import {checkSpoolDirectory, drainSpool} from '../source/server/spool.js';
import {parseCopyName, parseTakenName, takenName} from '../source/server/spool-names.js';
import {readLines} from '../source/server/spool-reader.js';
import {hookEvent, tempDir} from './helpers/server-kit.js';

const spoolLine = (id: string) =>
	`${JSON.stringify({mpm_spool: 1, id, receivedAt: 1_700_000_000_000, event: hookEvent()})}\n`;
const isRoot = process.getuid?.() === 0;

describe('spool directory check', () => {
	test('a private directory of ours is fine, and so is one that does not exist yet', () => {
		const dir = tempDir();
		fs.chmodSync(dir, 0o700);
		assert.equal(checkSpoolDirectory(dir), null);
		fs.chmodSync(dir, 0o755);
		assert.equal(checkSpoolDirectory(dir), null, 'readable by others is not writable by others');
		assert.equal(checkSpoolDirectory(path.join(dir, 'not-yet')), null);
	});

	test('group- or world-writable, or not a directory: refused with one line that says why and what to do', () => {
		const dir = tempDir();
		fs.chmodSync(dir, 0o777);
		assert.equal(
			checkSpoolDirectory(dir),
			`the spool directory ${dir} is writable by everyone (mode 0777): others could plant files in it; chmod 700 it or point MPM_TUI_SPOOL at a file in a private directory`,
		);
		fs.chmodSync(dir, 0o1777);
		assert.equal(
			checkSpoolDirectory(dir),
			`the spool directory ${dir} is writable by everyone (mode 1777): others could plant files in it; point MPM_TUI_SPOOL at a file in a private directory`,
			'sticky like /tmp is still shared, and chmod is no advice there',
		);
		fs.chmodSync(dir, 0o770);
		assert.match(checkSpoolDirectory(dir) ?? '', /writable by its group \(mode 0770\)/);
		fs.chmodSync(dir, 0o700);
		fs.writeFileSync(path.join(dir, 'file'), '');
		assert.equal(
			checkSpoolDirectory(path.join(dir, 'file')),
			`the spool directory ${path.join(dir, 'file')} is not a directory`,
		);
	});

	test('a directory of another user is refused', (t) => {
		if (!isRoot) return t.skip('needs root to give a directory to another user');
		const dir = tempDir();
		fs.chmodSync(dir, 0o700);
		fs.chownSync(dir, 65534, 65534);
		assert.match(
			checkSpoolDirectory(dir) ?? '',
			/belongs to uid 65534, not to this user \(uid 0\): others could plant files in it; point MPM_TUI_SPOOL at a file in a private directory/,
		);
	});

	test('the drain leaves a refused directory alone, and says so once (again only if the reason changes)', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		fs.writeFileSync(spool, spoolLine('r1'));
		fs.chmodSync(dir, 0o777);
		const pipeline = new Pipeline({capacity: 100});
		const ingest = (text: string, meta: {source: string}) =>
			pipeline.ingestText(text, 'application/json', meta);
		const first = drainSpool(spool, ingest, Date.now() + 60_000);
		assert.match(first.refused ?? '', /writable by everyone/);
		assert.deepEqual(first.errors, [`not drained: ${first.refused}`]);
		assert.ok(fs.existsSync(spool), 'not even taken');
		assert.deepEqual(drainSpool(spool, ingest, Date.now() + 60_000).errors, []);
		fs.chmodSync(dir, 0o770);
		assert.match(drainSpool(spool, ingest, Date.now() + 60_000).errors[0] ?? '', /writable by its group/);
		fs.chmodSync(dir, 0o700);
		const fine = drainSpool(spool, ingest, Date.now() + 60_000);
		assert.equal(fine.refused, undefined);
		assert.equal(fine.accepted, 1);
	});
});

describe('spool file reader', () => {
	test('lines from an offset, a last line without a newline, and lines over the limit skipped with their length', () => {
		const dir = tempDir();
		const file = path.join(dir, 'lines');
		const long = 'L'.repeat(3000);
		fs.writeFileSync(file, `one\n\n${long}\nthree\nlast`);
		const fd = fs.openSync(file, 'r');
		try {
			// Each line's bytes are valid until the next one is read: taken as they come.
			const seen = [];
			for (const line of readLines(fd, 0, 100))
				seen.push({text: line.bytes?.toString(), length: line.length, start: line.start, next: line.next});
			assert.deepEqual(seen, [
				{text: 'one', length: 3, start: 0, next: 4},
				{text: '', length: 0, start: 4, next: 5},
				{text: undefined, length: 3000, start: 5, next: 3006},
				{text: 'three', length: 5, start: 3006, next: 3012},
				{text: 'last', length: 4, start: 3012, next: 3016},
			]);
			// From where a stopped drain left off.
			const resumed = [];
			for (const line of readLines(fd, 3006, 100)) resumed.push(line.bytes?.toString());
			assert.deepEqual(resumed, ['three', 'last']);
		} finally {
			fs.closeSync(fd);
		}
	});

	test('a line longer than one read (over 1 MiB) is read whole', () => {
		const dir = tempDir();
		const file = path.join(dir, 'big');
		const big = 'x'.repeat(3 * 1024 * 1024 + 17);
		fs.writeFileSync(file, `a\n${big}\nb\n`);
		const fd = fs.openSync(file, 'r');
		try {
			const lengths = [];
			for (const line of readLines(fd, 0, 8 * 1024 * 1024)) lengths.push([line.bytes?.length, line.length]);
			assert.deepEqual(lengths, [
				[1, 1],
				[big.length, big.length],
				[1, 1],
			]);
		} finally {
			fs.closeSync(fd);
		}
	});
});

describe('names next to the spool', () => {
	test('taken files: this process names its own uniquely; older names and resume points are read', () => {
		const mine = parseTakenName('spool.ndjson', takenName('spool.ndjson', 7))!;
		assert.equal(mine.pid, process.pid);
		assert.match(mine.token ?? '', /^[0-9a-f]{16}$/);
		assert.equal(takenName('spool.ndjson', 7) === takenName('spool.ndjson', 8), false);
		assert.deepEqual(
			parseTakenName('spool.ndjson', 'spool.ndjson.draining-42-0123456789abcdef-3.at-1000-12'),
			{
				pid: 42,
				token: '0123456789abcdef',
				stem: 'spool.ndjson.draining-42-0123456789abcdef-3',
				offset: 1000,
				lines: 12,
			},
		);
		assert.deepEqual(parseTakenName('spool.ndjson', 'spool.ndjson.draining-999999.4'), {
			pid: 999999,
			token: undefined,
			stem: 'spool.ndjson.draining-999999.4',
			offset: 0,
			lines: 0,
		});
		assert.equal(parseTakenName('spool.ndjson', 'spool.ndjson.draining-x')?.pid, undefined);
		assert.equal(parseTakenName('spool.ndjson', 'spool.ndjson.rejected'), undefined);
	});

	test('stranded copies: pid and id from the name; anything else is not one', () => {
		assert.deepEqual(parseCopyName('spool.ndjson', 'spool.ndjson.in-4242-s4242-98765432-5047feea'), {
			pid: 4242,
			id: 's4242-98765432-5047feea',
			line: false,
		});
		assert.deepEqual(parseCopyName('spool.ndjson', 'spool.ndjson.in-4242-s1700000000000-4242-123456.line'), {
			pid: 4242,
			id: 's1700000000000-4242-123456',
			line: true,
		});
		assert.equal(parseCopyName('spool.ndjson', 'spool.ndjson.in-4242'), undefined);
		assert.equal(parseCopyName('spool.ndjson', 'spool.ndjson.in-4242-s1.x'), undefined);
		assert.equal(
			parseCopyName('spool.ndjson', '.in-4242-0'),
			undefined,
			'an older forwarder’s copy carries no id',
		);
	});
});
