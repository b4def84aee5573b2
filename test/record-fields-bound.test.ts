/**
 * A record's own fields (type, session, tool, cwd, …) are held to the same 16 KiB limit as the
 * payload's strings, with the same marker, on every ingest path: a hook over HTTP, a record sent
 * whole, an event over Socket.IO. Against a real server with its journal.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import {startServer} from '../source/server/server.js';
import {connect, connected, postJson, request, testConfig} from './helpers/server-kit.js';

const LIMIT = 16_384;
const LONG = 100_000;
/** protocol.md: a string longer than 16 KiB keeps its first 16,384 characters and gets `…[mpm-tui: cut N chars]`. */
const cut = (text: string) => `${text.slice(0, LIMIT)}…[mpm-tui: cut ${text.length - LIMIT} chars]`;
const long = (c: string) => c.repeat(LONG);

test('record fields longer than 16 KiB are cut like payload strings, over HTTP, as a whole record and over Socket.IO', async () => {
	const config = testConfig();
	const server = await startServer(config);
	const socket = connect(server.url);
	try {
		await connected(socket);
		const hook = {
			hook_event_name: long('H'),
			session_id: long('s'),
			tool_name: long('t'),
			tool_use_id: long('u'),
			agent_id: long('a'),
			agent_type: long('g'),
			cwd: long('c'),
		};
		const a = await postJson(server.url, '/api/events', hook);
		assert.equal(a.status, 202, a.text);
		const whole = {
			id: 'whole-1',
			time: '2026-05-01T10:00:00.000Z',
			type: long('T'),
			session: long('S'),
			tool: null,
			cwd: long('C'),
			summary: long('m'),
			source: long('o'),
			payload: {},
		};
		const b = await postJson(server.url, '/api/events', whole);
		assert.equal(b.status, 202, b.text);
		const c = await socket
			.timeout(5000)
			.emitWithAck('claude_event', {hook_event_name: 'Stop', session_id: long('k'), cwd: long('d')});
		assert.equal(c.accepted, 1);

		const page = await request(`${server.url}/api/events?since=0`);
		const [r1, r2, r3] = page.json.events;
		assert.deepEqual(
			[r1.type, r1.session, r1.tool, r1.toolUseId, r1.agentId, r1.agentType, r1.cwd],
			[
				hook.hook_event_name,
				hook.session_id,
				hook.tool_name,
				hook.tool_use_id,
				hook.agent_id,
				hook.agent_type,
				hook.cwd,
			].map(cut),
		);
		assert.equal(r1.payload.session_id, cut(hook.session_id), 'the payload copy is cut as before');
		assert.deepEqual(
			[r2.id, r2.type, r2.session, r2.cwd, r2.source],
			['whole-1', cut(whole.type), cut(whole.session), cut(whole.cwd), cut(whole.source)],
		);
		assert.ok(r2.summary.length <= LIMIT, 'a summary is one short line already');
		assert.deepEqual([r3.session, r3.cwd], [cut(long('k')), cut(long('d'))]);
		// What is stored is bounded too: no journal line holds a field of 100,000 characters.
		const lines = fs.readFileSync(config.journal!, 'utf8').trim().split('\n');
		assert.equal(lines.length, 3);
		for (const line of lines)
			assert.ok(!/(.)\1{20000}/.test(line), 'no run of 20,000 same characters in the journal');
	} finally {
		socket.close();
		await server.close();
	}
});
