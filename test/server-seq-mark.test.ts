/**
 * The journal's seq high-water mark, `<journal>.seq` (configuration.md, "State directory"): it is
 * never more than about a second behind the seqs given, idle or not, so a journal whose tail is
 * lost after that gives no seq twice; a mark that cannot be kept is a problem `/health` reports.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Journal} from '../source/server/journal.js';
import {startServer} from '../source/server/server.js';
import {
	hookEvent,
	postJson,
	request,
	spawnServer,
	tempDir,
	testConfig,
	withTimeout,
} from './helpers/server-kit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The seq `<journal>.seq` holds now. */
function mark(journal: string): number {
	return Number(fs.readFileSync(`${journal}.seq`, 'latin1').trim());
}

/** Waits up to `ms` for the mark to read `seq`; returns what it reads then. */
async function markReaches(journal: string, seq: number, ms: number): Promise<number> {
	const until = Date.now() + ms;
	while (mark(journal) !== seq && Date.now() < until) await sleep(50);
	return mark(journal);
}

const line = (seq: number) =>
	`${JSON.stringify({seq, id: `m${seq}`, type: 'Stop', time: '2026-12-02T10:00:00.000Z', source: 'hook', payload: {}})}\n`;

describe('the seq high-water mark', () => {
	test('a burst then idle: the mark catches up within about a second, with no batch after it', async () => {
		const file = path.join(tempDir(), 'journal.ndjson');
		const journal = new Journal({path: file});
		try {
			// Within the second after the mark was written (at open): these leave it behind.
			for (let seq = 1; seq <= 3; seq++) assert.equal(journal.appendBytes(Buffer.from(line(seq)), seq), null);
			assert.ok(mark(file) < 3, 'not written with each batch');
			assert.equal(await markReaches(file, 3, 2500), 3, 'written once its second is over');
		} finally {
			await journal.close();
		}
	});

	test('QA F6: after a burst and idle time, a journal whose tail is lost (and a SIGKILL) gives no seq twice', async () => {
		const dir = tempDir();
		const journal = path.join(dir, 'journal.ndjson');
		let server = await spawnServer({MPM_TUI_STATE_DIR: dir});
		try {
			// As the QA pass: past the first second, then three events at once.
			await sleep(1300);
			const seqs: number[] = [];
			for (let i = 0; i < 3; i++)
				seqs.push(
					(await postJson(server.url, '/api/events', hookEvent(), {'X-Mpm-Id': `f6-${i}`})).json.lastSeq,
				);
			assert.deepEqual(seqs, [1, 2, 3]);
			assert.equal(await markReaches(journal, 3, 3000), 3, 'the mark holds seq 3 while the server is idle');
			server.child.kill('SIGKILL');
			await withTimeout(server.exited, 5000, 'the killed server');
			// The journal's tail is lost: only its first line is left.
			fs.writeFileSync(journal, fs.readFileSync(journal, 'utf8').split('\n')[0] + '\n');
			server = await spawnServer({MPM_TUI_STATE_DIR: dir});
			const after = await postJson(server.url, '/api/events', hookEvent(), {'X-Mpm-Id': 'f6-after'});
			assert.equal(after.status, 202);
			assert.equal(
				after.json.lastSeq,
				4,
				'numbering continues after the mark: seq 2 and 3 are not given again',
			);
		} finally {
			await server.kill();
		}
	});

	test('a mark that cannot be kept (its file is a directory): /health degraded, /api/status says why; events still accepted', async () => {
		const config = testConfig();
		fs.mkdirSync(`${config.journal!}.seq`);
		const logs: string[] = [];
		const server = await startServer(config, {log: (l) => logs.push(l)});
		try {
			assert.equal((await postJson(server.url, '/api/events', hookEvent())).status, 202);
			const health = await request(`${server.url}/health`);
			assert.equal(health.json.status, 'degraded');
			assert.ok(
				health.json.problems.some((p: string) =>
					/journal cannot keep the seq high-water mark in \S+journal\.ndjson\.seq \(EISDIR.*\): seqs given since could be given again if the journal's tail is lost/.test(
						p,
					),
				),
				JSON.stringify(health.json.problems),
			);
			const status = await request(`${server.url}/api/status`);
			assert.match(status.json.journal.highWaterError, /EISDIR/);
			assert.deepEqual(status.json.problems, health.json.problems);
			assert.equal(logs.filter((l) => /seq high-water mark/.test(l)).length, 1, 'one log line');
		} finally {
			await server.close();
		}
	});
});
