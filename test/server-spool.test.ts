import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Pipeline} from '../source/server/pipeline.js';
import {startServer} from '../source/server/server.js';
import {drainSpool, spoolBacklog, spoolDropped, type IngestOne} from '../source/server/spool.js';
import {freePort} from './helpers/free-port.js';
import {
	hookEvent,
	postJson,
	request,
	spawnCli,
	tempDir,
	testConfig,
	withTimeout,
} from './helpers/server-kit.js';

const spoolLine = (id: string, event: unknown, receivedAt = 1_700_000_000_000) =>
	JSON.stringify({mpm_spool: 1, id, receivedAt, event}) + '\n';

/** Waits until the server holds `n` events (a spool written a moment ago is read once it has settled, ~0.3 s). */
async function eventsOnceDrained(url: string, n: number): Promise<any> {
	return withTimeout(
		(async () => {
			for (;;) {
				const page = await request(`${url}/api/events?since=0`);
				if (page.json.events.length >= n) return page;
				await new Promise((r) => setTimeout(r, 20));
			}
		})(),
		4000,
		`${n} events from the spool`,
	);
}

/** A real pipeline (no journal) and the ids it accepted, in order. */
function realPipeline(): {pipeline: Pipeline; ingest: IngestOne; ids: () => string[]} {
	const pipeline = new Pipeline({capacity: 10_000});
	return {
		pipeline,
		ingest: (text, meta) => pipeline.ingestText(text, 'application/json', meta),
		ids: () => pipeline.history.toArray().map((r) => r.id),
	};
}

/** How long a stranded copy must have been left alone (server/spool.ts COPY_SETTLE_MS). */
const COPY_SETTLE = 5000;

/** The pid of a process that has exited. */
function deadPid(): number {
	const pid = Number(execFileSync('sh', ['-c', "sh -c 'echo $$'"]).toString().trim());
	assert.ok(Number.isInteger(pid) && pid > 0);
	return pid;
}

/** A time far enough ahead that every file in the spool's directory counts as settled. */
const later = () => Date.now() + 60_000;

const setAsideIn = (spool: string): any[] =>
	fs.existsSync(`${spool}.rejected`)
		? fs
				.readFileSync(`${spool}.rejected`, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line))
		: [];

describe('spool drain', () => {
	// First in this file on purpose: the old drain numbered the files it took from 1 in each process.
	test('a draining file named for our own pid (left by an earlier process with that pid, as with pid 1 in a container) is delivered, never overwritten', async () => {
		const config = testConfig({journal: false});
		// An earlier server with this very pid took these and died; it named them <spool>.draining-<pid>.<n>.
		const leftovers = Array.from({length: 30}, (_, i) => `left-${i + 1}`);
		leftovers.forEach((id, i) =>
			fs.writeFileSync(`${config.spool}.draining-${process.pid}.${i + 1}`, spoolLine(id, hookEvent())),
		);
		fs.writeFileSync(config.spool, spoolLine('fresh-1', hookEvent()));
		const server = await startServer(config, {spoolIntervalMs: 50});
		try {
			const page = await eventsOnceDrained(server.url, leftovers.length + 1);
			assert.deepEqual(page.json.events.map((e: any) => e.id).sort(), [...leftovers, 'fresh-1'].sort());
			assert.deepEqual(
				fs.readdirSync(path.dirname(config.spool)).filter((name) => name.includes('draining')),
				[],
			);
		} finally {
			await server.close();
		}
	});

	test('every spooled event appears exactly once, with its own id and time, including one already delivered', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		// One event was delivered (the forwarder timed out, but the server had it) before a restart...
		const first = await startServer(config);
		const delivered = hookEvent({tool_input: {command: 'delivered'}});
		assert.equal((await postJson(first.url, '/api/events', delivered, {'X-Mpm-Id': 'spool-a'})).status, 202);
		await first.close();
		// ...and was spooled as well, with three more while the server was down.
		const others = [hookEvent(), hookEvent(), hookEvent()];
		fs.writeFileSync(
			config.spool,
			spoolLine('spool-a', delivered) +
				others.map((e, i) => spoolLine(`spool-${i}`, e, 1_700_000_000_000 + i)).join('') +
				'garbage line\n',
		);
		const second = await startServer(config);
		try {
			const page = await eventsOnceDrained(second.url, 4);
			const ids = page.json.events.map((e: any) => e.id);
			assert.deepEqual(ids, ['spool-a', 'spool-0', 'spool-1', 'spool-2']);
			assert.equal(page.json.events[2].time, new Date(1_700_000_000_001).toISOString());
			assert.equal(page.json.events[2].source, 'spool');
			assert.equal(page.json.events[2].payload.tool_use_id, others[1].tool_use_id);
			assert.ok(!fs.existsSync(config.spool), 'the spool is deleted once drained');
			// The garbage line is set aside with its reason, not lost; nothing else is left.
			assert.deepEqual(
				fs.readdirSync(dir).filter((f) => f.includes('spool')),
				['spool.ndjson.rejected'],
			);
			const [setAside] = fs
				.readFileSync(`${config.spool}.rejected`, 'utf8')
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l));
			assert.equal(setAside.raw, 'garbage line');
			assert.equal(setAside.line, 5);
			assert.match(setAside.error, /^not JSON at byte 0/);
			const stats = second.stats();
			assert.equal(stats.spool.drained, 3);
			assert.equal(stats.spool.backlogBytes, 0);
		} finally {
			await second.close();
		}
	});

	test('a spool written while the server runs is drained within a few seconds', async () => {
		const config = testConfig({journal: false});
		const server = await startServer(config, {spoolIntervalMs: 200});
		try {
			fs.writeFileSync(config.spool, spoolLine('live-1', hookEvent()) + spoolLine('live-2', hookEvent()));
			await withTimeout(
				(async () => {
					while (server.stats().events.total < 2) await new Promise((r) => setTimeout(r, 20));
				})(),
				4000,
				'the spool to be drained',
			);
			// A second drain of the same ids (e.g. a leftover file) adds nothing.
			fs.writeFileSync(config.spool, spoolLine('live-1', hookEvent()));
			await withTimeout(
				(async () => {
					while (server.stats().duplicates < 1) await new Promise((r) => setTimeout(r, 20));
				})(),
				4000,
				'the second drain',
			);
			assert.ok(!fs.existsSync(config.spool), 'the spool was taken');
			assert.equal(server.stats().events.total, 2);
			assert.ok(server.stats().duplicates >= 1);
		} finally {
			await server.close();
		}
	});

	test('a taken spool file still being written is read only once it has settled: a line completed late is not lost', async () => {
		const config = testConfig({journal: false});
		const server = await startServer(config, {spoolIntervalMs: 5});
		try {
			// A forwarder opened the spool and has written half of its line when the server takes it...
			const line = spoolLine('late-1', hookEvent({tool_input: {command: 'x'.repeat(50_000)}}));
			const fd = fs.openSync(config.spool, 'a');
			fs.writeSync(fd, line.slice(0, 20_000));
			await new Promise((r) => setTimeout(r, 100));
			assert.ok(!fs.existsSync(config.spool), 'the server took the spool');
			// ...and finishes it through its open descriptor, into the file the server renamed.
			fs.writeSync(fd, line.slice(20_000));
			fs.closeSync(fd);
			const page = await eventsOnceDrained(server.url, 1);
			assert.deepEqual(
				page.json.events.map((e: any) => e.id),
				['late-1'],
			);
			assert.equal(server.stats().rejected, 0, 'no half line was read');
		} finally {
			await server.close();
		}
	});

	test('a draining file left by a dead server is picked up', async () => {
		const config = testConfig({journal: false});
		fs.writeFileSync(`${config.spool}.draining-999999`, spoolLine('orphan-1', hookEvent()));
		const server = await startServer(config);
		try {
			const page = await eventsOnceDrained(server.url, 1);
			assert.deepEqual(
				page.json.events.map((e: any) => e.id),
				['orphan-1'],
			);
		} finally {
			await server.close();
		}
	});

	test('bad lines are set aside with their reasons, and every good line after them is delivered; the server stays up', async () => {
		const config = testConfig({journal: false});
		const event = () => JSON.stringify(hookEvent());
		const beforeBadByte =
			'{"mpm_spool":1,"id":"utf-1","receivedAt":1700000000000,"event":{"hook_event_name":"Stop","prompt":"';
		const invalidUtf8 = Buffer.concat([
			Buffer.from(beforeBadByte),
			Buffer.from([0xc3, 0x28]),
			Buffer.from('"}}'),
		]);
		const bad: Array<[Buffer, RegExp]> = [
			[
				Buffer.from(
					`{"mpm_spool":1,"id":"deep-1","receivedAt":1700000000000,"event":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
				),
				/nested deeper than 64 levels/,
			],
			[
				Buffer.from(`{"mpm_spool":1,"id":"time-1","receivedAt":1e300,"event":${event()}}`),
				/receivedAt must be/,
			],
			[
				Buffer.from(`{"mpm_spool":1,"id":"time-2","receivedAt":8640000000000001,"event":${event()}}`),
				/receivedAt must be/,
			],
			[
				Buffer.from(`{"mpm_spool":1,"id":"time-3","receivedAt":"1700000000000","event":${event()}}`),
				/receivedAt must be/,
			],
			[
				Buffer.from(`{"mpm_spool":1,"id":"bad id","receivedAt":1700000000000,"event":${event()}}`),
				/id must be 1 to 128/,
			],
			[
				Buffer.from(
					`{"mpm_spool":1,"id":"${'x'.repeat(129)}","receivedAt":1700000000000,"event":${event()}}`,
				),
				/id must be 1 to 128/,
			],
			[invalidUtf8, new RegExp(`not valid UTF-8 at byte ${beforeBadByte.length}$`)],
			[Buffer.from('not json at all'), /^not JSON at byte 1$/], // 'n' could start null; 'o' cannot
			[Buffer.from(`{"mpm_spool":2,"id":"v2","event":${event()}}`), /not a \{"mpm_spool":1,…\} record/],
			[Buffer.from('{"mpm_spool":1,"id":"noevent"}'), /no event/],
			[Buffer.from('[1,2,3]'), /not a \{"mpm_spool":1,…\} record/],
		];
		// good-0, bad, good-1, bad, … good-11 (the last one without its newline).
		const parts: Buffer[] = [Buffer.from(spoolLine('good-0', hookEvent()))];
		bad.forEach(([line], i) =>
			parts.push(
				line,
				Buffer.from('\n'),
				Buffer.from(spoolLine(`good-${i + 1}`, hookEvent()).slice(0, i === bad.length - 1 ? -1 : undefined)),
			),
		);
		fs.writeFileSync(config.spool, Buffer.concat(parts));
		const logged: string[] = [];
		const server = await startServer(config, {log: (line) => logged.push(line)});
		try {
			const good = Array.from({length: bad.length + 1}, (_, i) => `good-${i}`);
			const page = await eventsOnceDrained(server.url, good.length);
			assert.deepEqual(
				page.json.events.map((e: any) => e.id),
				good,
			);
			// Every bad line is kept with its reason, its line number and its exact bytes.
			const kept = setAsideIn(config.spool);
			assert.equal(kept.length, bad.length);
			bad.forEach(([line, reason], i) => {
				assert.equal(kept[i].line, 2 * i + 2);
				assert.match(kept[i].error, reason, `line ${2 * i + 2}`);
				const raw =
					kept[i].raw === undefined
						? Buffer.from(kept[i].rawBase64, 'base64')
						: Buffer.from(kept[i].raw, 'utf8');
				assert.deepEqual(raw, line);
			});
			assert.equal(kept[6].raw, undefined, 'bytes that are not UTF-8 are kept in base64');
			// One log line sums the file up.
			assert.ok(
				logged.some((line) =>
					line.includes(`${bad.length} not delivered, set aside in spool.ndjson.rejected with the reasons`),
				),
				logged.join('\n'),
			);
			// The server is still up and takes events.
			assert.equal(
				(await postJson(server.url, '/api/events', hookEvent(), {'X-Mpm-Id': 'canary'})).status,
				202,
			);
			assert.equal((await request(`${server.url}/api/events?since=0`)).json.events.at(-1).id, 'canary');
		} finally {
			await server.close();
		}
	});

	test('a line cut short (a write that stopped on a full disk) does not swallow the whole line appended after it', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const cut =
			'{"mpm_spool":1,"id":"cut-1","receivedAt":1700000000000,"event":{"hook_event_name":"Stop","session_id":"s","x":"abc';
		fs.writeFileSync(spool, cut + spoolLine('after-cut', hookEvent()) + spoolLine('after-2', hookEvent()));
		const {ingest, ids} = realPipeline();
		const report = drainSpool(spool, ingest, later());
		assert.deepEqual(ids(), ['after-cut', 'after-2']);
		assert.equal(report.rejected, 1);
		const [kept] = setAsideIn(spool);
		assert.equal(kept.raw, cut);
		assert.match(kept.error, /^cut off/);
	});

	test('a line the pipeline throws on is set aside, and the lines after it are delivered', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		fs.writeFileSync(
			spool,
			spoolLine('a', hookEvent()) + spoolLine('boom', hookEvent()) + spoolLine('b', hookEvent()),
		);
		const real = realPipeline();
		const ingest: IngestOne = (text, meta) => {
			if (meta.id === 'boom') throw new RangeError('Invalid time value');
			return real.ingest(text, meta);
		};
		const report = drainSpool(spool, ingest, later());
		assert.deepEqual(real.ids(), ['a', 'b']);
		assert.equal(report.rejected, 1);
		const [kept] = setAsideIn(spool);
		assert.equal(kept.line, 2);
		assert.match(kept.error, /Invalid time value/);
		assert.ok(!fs.existsSync(spool));
	});

	test('a storage fault stops the drain and keeps the rest; a later drain resumes at the first line not accepted, re-delivering none', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const ids = Array.from({length: 10}, (_, i) => `f${i}`);
		fs.writeFileSync(spool, ids.map((id) => spoolLine(id, hookEvent())).join(''));
		const real = realPipeline();
		const calls = new Map<string, number>();
		let faulty = false;
		// The real pipeline, until its journal "fills up" after four events: then it accepts nothing and says why.
		const ingest: IngestOne = (text, meta) => {
			calls.set(meta.id!, (calls.get(meta.id!) ?? 0) + 1);
			if (faulty)
				return {
					accepted: 0,
					duplicates: 0,
					lastSeq: real.pipeline.lastSeq,
					rejected: [],
					records: [],
					fault: {code: 'ENOSPC', message: 'no space left on device'},
				};
			const result = real.ingest(text, meta);
			if (real.pipeline.total === 4) faulty = true;
			return result;
		};
		const first = drainSpool(spool, ingest, later());
		assert.equal(first.accepted, 4);
		assert.match(
			first.stopped ?? '',
			/storage fault \(ENOSPC: no space left on device\): spool drain stopped at line 5 of /,
		);
		assert.deepEqual(first.errors, [first.stopped]);
		assert.equal(first.rejected, 0, 'a fault is not a bad line');
		assert.ok(!fs.existsSync(`${spool}.rejected`));
		const kept = fs.readdirSync(dir).filter((name) => name.includes('draining'));
		assert.equal(kept.length, 1);
		assert.match(kept[0], /\.at-\d+-4$/, 'the kept file says where to resume');
		// Still faulty: nothing is accepted, nothing is lost, and the fault is not said again.
		const second = drainSpool(spool, ingest, later());
		assert.equal(second.accepted, 0);
		assert.ok(second.stopped);
		assert.deepEqual(second.errors, []);
		faulty = false;
		const third = drainSpool(spool, ingest, later());
		assert.equal(third.accepted, 6);
		assert.equal(third.stopped, undefined);
		assert.deepEqual(third.errors, ['the pipeline stores events again: the spool drain resumed']);
		assert.deepEqual(real.ids(), ids);
		// Lines accepted before the fault were never handed to the pipeline again.
		for (const id of ['f0', 'f1', 'f2', 'f3', 'f5', 'f6', 'f7', 'f8', 'f9'])
			assert.equal(calls.get(id), 1, id);
		assert.equal(calls.get('f4'), 3);
		assert.deepEqual(
			fs.readdirSync(dir).filter((name) => name.includes('draining')),
			[],
		);
	});

	test('a file stopped by a storage fault in a server that then died is resumed by the next server where it stopped', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const ids = Array.from({length: 10}, (_, i) => `p${i}`);
		fs.writeFileSync(spool, ids.map((id) => spoolLine(id, hookEvent())).join(''));
		// A process of its own drains with a pipeline whose storage fails after 3 events, then exits.
		const child = JSON.parse(
			execFileSync(
				process.execPath,
				[
					'--import',
					'tsx',
					path.join('test', 'fixtures', 'drain-with-fault.ts'),
					spool,
					'3',
					String(later()),
				],
				{encoding: 'utf8'},
			),
		);
		assert.deepEqual(child.ids, ['p0', 'p1', 'p2']);
		assert.ok(child.report.stopped);
		const {ingest, ids: accepted} = realPipeline();
		const report = drainSpool(spool, ingest, later());
		assert.equal(report.duplicates, 0, 'nothing before the fault is read again');
		assert.deepEqual(accepted(), ids.slice(3));
		assert.deepEqual(fs.readdirSync(dir), []);
	});

	test('a FIFO at the spool path (or a taken name) never blocks the server: it starts, answers, and says so once', async () => {
		const stateDir = tempDir();
		const spool = path.join(stateDir, 'spool.ndjson');
		execFileSync('mkfifo', [spool]);
		execFileSync('mkfifo', [`${spool}.draining-999999`]);
		const port = await freePort();
		const proc = spawnCli(['--server-only', '--no-journal', '--port', String(port)], {
			MPM_TUI_STATE_DIR: stateDir,
		});
		try {
			await proc.waitFor((_, err) => err.includes('listening on'), 'the server to listen', 5000);
			assert.equal((await request(`http://127.0.0.1:${port}/health`)).status, 200);
			await proc.waitFor(
				(_, err) => /draining-999999 is a FIFO/.test(err),
				'the leftover FIFO to be reported',
				3000,
			);
			assert.match(proc.stderr(), /the spool \S+spool\.ndjson is a FIFO, not a regular file: not drained/);
			// Said once, not at every drain.
			await new Promise((r) => setTimeout(r, 2500));
			assert.equal(
				proc
					.stderr()
					.split('\n')
					.filter((line) => line.includes('is a FIFO')).length,
				2,
				proc.stderr(),
			);
			// Still answering after drains that found them (a read would have blocked its event loop for good).
			assert.equal((await request(`http://127.0.0.1:${port}/health`)).status, 200);
		} finally {
			await proc.kill();
		}
	});

	test('a symbolic link at the spool path or a taken name is not followed: the file it points to is neither read nor touched', async () => {
		const config = testConfig({journal: false});
		const elsewhere = tempDir();
		const victims = [path.join(elsewhere, 'a.ndjson'), path.join(elsewhere, 'b.ndjson')];
		fs.writeFileSync(victims[0], spoolLine('victim-a', hookEvent()));
		fs.writeFileSync(victims[1], spoolLine('victim-b', hookEvent()));
		fs.mkdirSync(path.dirname(config.spool), {recursive: true});
		fs.symlinkSync(victims[0], config.spool);
		fs.symlinkSync(victims[1], `${config.spool}.draining-999999`);
		const before = victims.map((v) => fs.readFileSync(v));
		const logged: string[] = [];
		const server = await startServer(config, {log: (line) => logged.push(line), spoolIntervalMs: 50});
		try {
			await new Promise((r) => setTimeout(r, 300));
			assert.equal(server.stats().events.total, 0);
			assert.deepEqual(
				victims.map((v) => fs.readFileSync(v)),
				before,
			);
			assert.ok(fs.lstatSync(config.spool).isSymbolicLink(), 'the link is left for the user to see');
			assert.equal(
				logged.filter((line) => line.includes('is a symbolic link, not a regular file')).length,
				2,
				logged.join('\n'),
			);
		} finally {
			await server.close();
		}
	});

	test('stranded copies of killed sh forwarders: delivered once under their id and time, only once their writer is gone; empty ones removed', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const dead = deadPid();
		const now = Date.now();
		// Named as the sh forwarder names them: its pid, then the id it POSTs with (here in its Linux form).
		const copy = (pid: number, id: string, body: string | Buffer) => {
			const file = path.join(dir, `spool.ndjson.in-${pid}-${id}`);
			fs.writeFileSync(file, body);
			return file;
		};
		const pretty = `${JSON.stringify(hookEvent({hook_event_name: 'UserPromptSubmit', prompt: 'the prompt'}), null, 2)}\n`;
		const delivered = copy(dead, `s${dead}-4711-5047feea`, pretty);
		// A whole second, so that the file time holds it exactly.
		const writtenAt = new Date(Math.floor((now - 1000) / 1000) * 1000);
		fs.utimesSync(delivered, writtenAt, writtenAt);
		const ours = copy(process.pid, `s${process.pid}-4712-5047feea`, JSON.stringify(hookEvent()));
		const empty = copy(dead, `s${dead}-4713-5047feea`, '');
		const broken = copy(dead, `s${dead}-4714-5047feea`, '{"hook_event_name":"Stop","session_id":"cut');
		// A spool line a killed forwarder was preparing: a temporary file, since its copy holds the event.
		const line = path.join(dir, `spool.ndjson.in-${dead}-s${dead}-4715-5047feea.line`);
		fs.writeFileSync(line, spoolLine(`s${dead}-4715-5047feea`, hookEvent()));
		const live = spawn('sleep', ['30']);
		try {
			const waiting = copy(live.pid!, `s${live.pid}-4716-5047feea`, JSON.stringify(hookEvent()));
			const {pipeline, ingest, ids} = realPipeline();
			// Too fresh: nothing is touched yet.
			let report = drainSpool(spool, ingest, now);
			assert.equal(report.files, 0);
			assert.deepEqual(ids(), []);
			// Settled: the copies whose writer is gone are taken in; the one whose writer still runs waits.
			report = drainSpool(spool, ingest, now + COPY_SETTLE + 1000);
			assert.deepEqual(ids().sort(), [`s${dead}-4711-5047feea`, `s${process.pid}-4712-5047feea`].sort());
			const record = pipeline.history.toArray().find((r) => r.id === `s${dead}-4711-5047feea`)!;
			// Received when stdin was read: when the copy was last written.
			assert.equal(record.time, writtenAt.toISOString());
			assert.equal(record.source, 'spool');
			assert.deepEqual(record.payload, JSON.parse(pretty));
			assert.equal(report.adopted, 3);
			assert.equal(report.rejected, 1);
			const [kept] = setAsideIn(spool);
			assert.equal(kept.from, path.basename(broken));
			assert.equal(kept.raw, '{"hook_event_name":"Stop","session_id":"cut');
			for (const file of [delivered, ours, empty, broken, line])
				assert.ok(!fs.existsSync(file), `${path.basename(file)} removed`);
			assert.ok(fs.existsSync(waiting));
			// Unchanged for very long, it is taken in whatever its pid says (that pid may be another process's by now).
			drainSpool(spool, ingest, now + 11 * 60_000);
			assert.equal(ids().length, 3);
			assert.ok(!fs.existsSync(waiting));
		} finally {
			live.kill();
		}
	});

	test('a stranded copy of an event that was also POSTed, or also spooled, is a duplicate: the event appears once', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const dead = deadPid();
		const {pipeline, ingest, ids} = realPipeline();
		const posted = hookEvent();
		const postedId = `s${dead}-4801-5047feea`;
		assert.equal(
			pipeline.ingestText(JSON.stringify(posted), 'application/json', {
				source: 'hook',
				id: postedId,
				receivedAt: 1_700_000_000_000,
			}).accepted,
			1,
		);
		fs.writeFileSync(path.join(dir, `spool.ndjson.in-${dead}-${postedId}`), JSON.stringify(posted));
		const spooled = hookEvent();
		const spooledId = `s${dead}-4802-5047feea`;
		fs.writeFileSync(path.join(dir, `spool.ndjson.in-${dead}-${spooledId}`), JSON.stringify(spooled));
		fs.writeFileSync(spool, spoolLine(spooledId, spooled, 1_700_000_000_000));
		const report = drainSpool(spool, ingest, Date.now() + COPY_SETTLE + 1000);
		assert.deepEqual(ids(), [postedId, spooledId]);
		assert.equal(report.duplicates, 2);
		assert.deepEqual(fs.readdirSync(dir), []);
	});

	test('the dropped count is the size of <spool>.dropped (one byte per dropped event)', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		assert.equal(spoolDropped(spool), 0);
		fs.writeFileSync(`${spool}.dropped`, '\n'.repeat(7));
		assert.equal(spoolDropped(spool), 7);
		fs.rmSync(`${spool}.dropped`);
		fs.symlinkSync('/dev/zero', `${spool}.dropped`);
		assert.equal(spoolDropped(spool), 0, 'a link is not a counter');
		fs.writeFileSync(path.join(dir, 'elsewhere'), 'x'.repeat(100));
		fs.symlinkSync(path.join(dir, 'elsewhere'), spool);
		assert.equal(spoolBacklog(spool), 0, 'nor a spool');
	});
});
