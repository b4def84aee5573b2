/**
 * Events stranded by a killed sh forwarder. Claude Code can kill a hook's whole process group
 * (SIGKILL) right after the hook returned, while the forwarder's background part is still posting
 * or spooling; the forwarder's copy of stdin is then all that is left. Whatever the moment of the
 * kill, the event must reach the server exactly once: the server adopts the copy under the id the
 * forwarder POSTs with. The real sh forwarder (dist/hook/mpm-tui-hook.sh) against a real server.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {describe, test} from 'node:test';
import {resolveConfig} from '../source/config.js';
import {runHooks} from '../source/commands/hooks.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {baseEnv, eventually, shForwarder, sleep, tempDir, variants} from './helpers/forwarder.js';

const event = (name: string) => ({
	session_id: 'b7d3c2a1-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
	transcript_path: '/home/u/.claude/projects/-home-u-app/b7d3c2a1.jsonl',
	cwd: '/home/u/app',
	hook_event_name: 'UserPromptSubmit',
	prompt: `the prompt of ${name}: keep it safe`,
	tool_use_id: `toolu_stranded_${name}`,
});

/** The sh forwarder in a process group of its own, as Claude Code runs a hook; `kill()` kills the whole group. */
function startForwarder(
	shell: string,
	env: Record<string, string>,
	input: string,
	leaveOpen = false,
): {child: ChildProcess; kill(): void} {
	const child = spawn(shell, [shForwarder], {env, detached: true, stdio: ['pipe', 'ignore', 'ignore']});
	child.stdin!.on('error', () => {});
	if (leaveOpen) child.stdin!.write(input);
	else child.stdin!.end(input);
	return {
		child,
		kill() {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// The group is already gone: nothing was left to kill.
			}
		},
	};
}

const copiesIn = (dir: string) =>
	fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.includes('.in-')) : [];

/** Makes every stranded copy look long untouched, so the next drain may take it (instead of waiting the settle time). */
function age(dir: string): void {
	const past = new Date(Date.now() - 60_000);
	for (const name of copiesIn(dir)) fs.utimesSync(path.join(dir, name), past, past);
}

const hasFlock = spawnSync('sh', ['-c', 'command -v flock']).status === 0;

for (const variant of variants.filter((v) => v.name === 'sh' || v.name === 'bash')) {
	describe(`stranded events (${variant.name} forwarder killed with its process group)`, () => {
		test('killed before, after, or while spooling: every event is in the history exactly once, and no copy is left', async (t) => {
			const temp = tempDir(`stranded-${variant.name}`);
			t.after(temp.cleanup);
			const stateDir = path.join(temp.dir, 'state');
			const config = resolveConfig(
				{port: await freePort(), journal: false},
				{MPM_TUI_STATE_DIR: stateDir},
				temp.dir,
			);
			const server = await startServer(config, {spoolIntervalMs: 100});
			t.after(() => server.close());
			const history = async (): Promise<any[]> =>
				(await (await fetch(`${server.url}/api/events?since=0`)).json()).events;

			// A listener that takes a POST and never answers (the server never sees it), and a proxy that
			// hands the POST to the server and then either holds the answer or answers 503 itself.
			const silentPosts: net.Socket[] = [];
			const silent = net.createServer((socket) => {
				socket.once('data', () => silentPosts.push(socket));
			});
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
			t.after(() => {
				for (const socket of silentPosts) socket.destroy();
				silent.close();
			});
			let proxyMode: 'forward-then-hold' | '503' = 'forward-then-hold';
			const held: http.ServerResponse[] = [];
			const proxy = http.createServer((req, res) => {
				const chunks: Buffer[] = [];
				req.on('data', (c: Buffer) => chunks.push(c));
				req.on('end', async () => {
					if (proxyMode === '503') return res.writeHead(503).end('{"error":"busy"}');
					const headers: Record<string, string> = {'content-type': 'application/json'};
					for (const name of ['x-mpm-id', 'x-mpm-received']) headers[name] = String(req.headers[name]);
					await fetch(`${server.url}/api/events`, {method: 'POST', headers, body: Buffer.concat(chunks)});
					held.push(res);
				});
			});
			await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
			t.after(() => {
				for (const res of held) res.destroy();
				proxy.close();
			});
			const env = (url: string) =>
				baseEnv({
					HOME: temp.dir,
					MPM_TUI_STATE_DIR: stateDir,
					MPM_TUI_URL: url,
					MPM_TUI_HOOK_TIMEOUT_MS: '10000',
				});

			const started = Date.now();
			// 1. Killed while its POST waits for an answer that never comes: only the copy holds the event.
			const before = startForwarder(
				variant.command,
				env(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api/events`),
				JSON.stringify(event('before')),
			);
			await eventually(
				() => (silentPosts.length === 1 ? true : undefined),
				5000,
				'the POST to the silent listener',
			);
			before.kill();

			// 2. Killed after the server accepted the POST, before the answer reached the forwarder.
			const after = startForwarder(
				variant.command,
				env(`http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}/api/events`),
				JSON.stringify(event('after')),
			);
			await eventually(() => (held.length === 1 ? true : undefined), 5000, 'the POST to reach the server');
			assert.ok((await history()).some((e) => e.toolUseId === 'toolu_stranded_after'));
			after.kill();

			// 3. Killed while spooling (the server answered 503): held at the spool lock, its line prepared.
			let spooling: ReturnType<typeof startForwarder> | undefined;
			let lockHolder: ChildProcess | undefined;
			if (hasFlock) {
				proxyMode = '503';
				fs.writeFileSync(`${config.spool}.lock`, '');
				lockHolder = spawn('flock', [`${config.spool}.lock`, 'sleep', '30'], {stdio: 'ignore'});
				await sleep(100);
				spooling = startForwarder(
					variant.command,
					env(`http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}/api/events`),
					JSON.stringify(event('spooling')),
				);
				await eventually(
					() => (fs.readdirSync(stateDir).some((name) => name.endsWith('.line')) ? true : undefined),
					5000,
					'the forwarder to prepare its spool line',
				);
				spooling.kill();
				lockHolder.kill();
			} else {
				t.diagnostic(
					'flock is not installed: the "killed while spooling" case is skipped (it holds the forwarder at the spool lock)',
				);
			}

			// 4. Killed while reading stdin (left open, half an event in): the copy cannot be delivered; it is set aside, not lost.
			const whole = JSON.stringify(event('reading'));
			const reading = startForwarder(
				variant.command,
				env(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api/events`),
				whole.slice(0, 60),
				true,
			);
			await eventually(
				() =>
					copiesIn(stateDir).some((name) => fs.statSync(path.join(stateDir, name)).size === 60)
						? true
						: undefined,
				5000,
				'half the event in the copy',
			);
			reading.kill();

			// What the kills left: a copy per event (and the spooling one's prepared line); nothing else carries them.
			// (Unless this machine was so slow that the server already took a copy in: it may, 5 s after.)
			if (Date.now() - started < 4000) {
				const left = copiesIn(stateDir);
				assert.equal(
					left.filter((name) => !name.endsWith('.line')).length,
					hasFlock ? 4 : 3,
					left.join(', '),
				);
				assert.deepEqual(
					(await history()).map((e) => e.toolUseId),
					['toolu_stranded_after'],
				);
			} else {
				t.diagnostic(
					'slow run: the copies may have been taken in before the check that nothing else carries the events',
				);
			}
			assert.ok(
				!fs.existsSync(config.spool) || fs.readFileSync(config.spool, 'utf8') === '',
				'nothing was spooled',
			);

			// Once the copies have been left alone long enough (their forwarders are gone), the server's drain takes them in.
			age(stateDir);
			await eventually(
				() => (copiesIn(stateDir).length === 0 ? true : undefined),
				5000,
				'the server to take the stranded copies',
			);
			await sleep(300);
			const events = await history();
			const expected = [
				'toolu_stranded_after',
				'toolu_stranded_before',
				...(hasFlock ? ['toolu_stranded_spooling'] : []),
			];
			assert.deepEqual(events.map((e) => e.toolUseId).sort(), expected.sort());
			for (const e of events)
				assert.match(e.id, /^s\d+-\d+-[0-9a-f]+$/, 'under the id the forwarder POSTs with');
			assert.equal(
				events.find((e) => e.toolUseId === 'toolu_stranded_before').payload.prompt,
				event('before').prompt,
			);
			assert.equal(server.stats().duplicates, 1, 'the copy of the POSTed event was dropped as a duplicate');
			// The half-read event is kept aside with its reason.
			const setAside = fs
				.readFileSync(`${config.spool}.rejected`, 'utf8')
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line));
			assert.equal(setAside.length, 1);
			assert.equal(setAside[0].raw, whole.slice(0, 60));
			assert.match(setAside[0].error, /JSON/);
		});
	});
}

describe('hooks status counts stranded copies', () => {
	test('copies left by killed sh forwarders are counted beside the spool, with their bytes', async (t) => {
		const temp = tempDir('stranded-status');
		t.after(temp.cleanup);
		const stateDir = path.join(temp.dir, 'state');
		// A listener that takes each POST and never answers: the forwarder is killed while it waits.
		const posts: net.Socket[] = [];
		const silent = net.createServer((socket) => {
			socket.once('data', () => posts.push(socket));
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		t.after(() => {
			for (const socket of posts) socket.destroy();
			silent.close();
		});
		const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api/events`;
		const inputs = ['one', 'two', 'three'].map((name) => JSON.stringify(event(name)));
		for (const [i, input] of inputs.entries()) {
			const f = startForwarder(
				'sh',
				baseEnv({
					HOME: temp.dir,
					MPM_TUI_STATE_DIR: stateDir,
					MPM_TUI_URL: url,
					MPM_TUI_HOOK_TIMEOUT_MS: '10000',
				}),
				input,
			);
			await eventually(
				() => (posts.length === i + 1 ? true : undefined),
				5000,
				'the POST to the silent listener',
			);
			f.kill();
		}
		await sleep(200);
		assert.equal(copiesIn(stateDir).filter((n) => !n.endsWith('.line')).length, 3, 'three copies left');

		let out = '';
		const home = path.join(temp.dir, 'home');
		const env = {PATH: process.env.PATH ?? '', MPM_TUI_STATE_DIR: stateDir};
		const code = await runHooks(
			resolveConfig({port: await freePort()}, env, home),
			'status',
			{},
			{home, cwd: temp.dir, env, out: (s) => (out += s), err: (s) => (out += s)},
		);
		assert.equal(code, 0);
		const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(input), 0);
		assert.match(out, /^spool .*: 0 event\(s\) waiting \(0 B\)$/m);
		assert.match(
			out,
			new RegExp(
				`^ {8}and 3 event\\(s\\) in stdin copies beside it \\(${bytes} B; spool\\.ndjson\\.in-\\*, left by sh forwarders that were stopped\\): delivered when the server runs`,
				'm',
			),
		);
	});
});
