/**
 * claude-mpm's hooks as a source, through the real server: every Claude Code hook event wrapped
 * exactly as claude-mpm's default hook (claude-hook-fast.sh) POSTs it, and the envelopes of its
 * Python hook handler, become records that say what happened at the source — the hook's own name
 * as the type, fields from the hook's own payload, the tool use id only where there is one, the
 * envelope's time as the record's time and the receive time as `received`.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startServer, type MpmServer} from '../source/server/server.js';
import type {EventRecord} from '../source/core/record.js';
import {fastHookBody} from './fixtures/claude-mpm-wire.js';
import {hookEvents, type Payload} from './fixtures/hook-payloads.js';
import {postJson, request, testConfig} from './helpers/server-kit.js';

let server: MpmServer;
before(async () => {
	server = await startServer(testConfig({journal: false}));
});
after(async () => {
	await server.close();
});

/** POSTs one body (as curl -d with Content-Type: application/json does) and returns the record it became. */
async function ingest(body: string): Promise<EventRecord> {
	const answer = await postJson(server.url, '/api/events', body);
	assert.equal(answer.status, 202, answer.text);
	assert.equal(answer.json.accepted, 1, answer.text);
	const page = await request(`${server.url}/api/events?since=${answer.json.lastSeq - 1}&limit=1`);
	assert.equal(page.json.events.length, 1);
	return page.json.events[0] as EventRecord;
}

const withoutMpm = (payload: Payload): Payload => {
	const {_mpm, ...rest} = payload;
	return rest;
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

describe("claude-hook-fast.sh's envelope, for every hook event", () => {
	// claude-hook-fast.sh posts nothing for these two: it creates and removes the worktree itself.
	const handledByTheScript = new Set(['WorktreeCreate', 'WorktreeRemove']);

	test('the script posts every event but the two worktree ones', () => {
		for (const [name, payload] of Object.entries(hookEvents)) {
			assert.equal(
				fastHookBody(JSON.stringify(payload), new Date()) === null,
				handledByTheScript.has(name),
				name,
			);
		}
	});

	test("each becomes a record of the hook's own type, with the hook payload's tool, tool use id, session and agent", async () => {
		let second = Date.parse('2026-03-04T05:06:07.000Z');
		for (const [name, payload] of Object.entries(hookEvents)) {
			if (handledByTheScript.has(name)) continue;
			const at = new Date((second += 1000) + 789);
			const body = fastHookBody(JSON.stringify(payload), at)!;
			const before = Date.now();
			const record = await ingest(body);
			const envelope = JSON.parse(body);
			assert.equal(
				record.type,
				name,
				`${name}: the hook's own name, not its subtype ${envelope.data.subtype}`,
			);
			assert.equal(record.tool, str(payload.tool_name), `${name}: tool`);
			assert.equal(
				record.toolUseId,
				str(payload.tool_use_id),
				`${name}: the payload's tool_use_id, never the script's ${envelope.data.correlation_id}`,
			);
			assert.equal(record.session, payload.session_id, `${name}: session`);
			assert.equal(record.agentId, str(payload.agent_id), `${name}: agent id`);
			assert.equal(record.agentType, str(payload.agent_type), `${name}: agent type`);
			assert.equal(record.cwd, payload.cwd, `${name}: cwd`);
			assert.equal(record.source, 'mpm');
			assert.deepEqual(withoutMpm(record.payload), payload, `${name}: the payload is the hook's`);
			// The script stamps whole seconds (`date -u +…%S.000Z`): that is the event's time.
			assert.equal(record.time, `${at.toISOString().slice(0, 19)}.000Z`, `${name}: the envelope's time`);
			assert.ok(
				Date.parse(record.received) >= before - 1 && Date.parse(record.received) <= Date.now() + 1,
				`${name}: received when it came (${record.received})`,
			);
			assert.deepEqual(
				record.payload._mpm,
				{
					type: 'hook',
					subtype: envelope.data.subtype,
					namespace: '/',
					event: 'claude_event',
					source: 'fast_hook',
					timestamp: envelope.data.timestamp,
					correlation_id: envelope.data.correlation_id,
				},
				`${name}: the envelope's own fields are kept`,
			);
		}
	});

	test('the cases the issue names', async () => {
		const of = async (name: string) => ingest(fastHookBody(JSON.stringify(hookEvents[name]), new Date())!);
		// Unmapped by the script: sent with their CamelCase name as subtype.
		assert.deepEqual(
			await Promise.all(
				[
					'SubagentStart',
					'PermissionRequest',
					'PostToolUseFailure',
					'SessionEnd',
					'StopFailure',
					'PermissionDenied',
					'TaskCreated',
				].map(async (n) => (await of(n)).type),
			),
			[
				'SubagentStart',
				'PermissionRequest',
				'PostToolUseFailure',
				'SessionEnd',
				'StopFailure',
				'PermissionDenied',
				'TaskCreated',
			],
		);
		const permission = await of('PermissionRequest');
		assert.equal(permission.tool, 'Bash');
		assert.equal(
			permission.toolUseId,
			null,
			"PermissionRequest has no tool use id: the script's Bash_<ms> is not one",
		);
		// PostToolBatch has no tool_name of its own; the script cut "Read" out of its first call.
		const batch = await of('PostToolBatch');
		assert.equal(
			JSON.parse(fastHookBody(JSON.stringify(hookEvents.PostToolBatch), new Date())!).data.tool_name,
			'Read',
		);
		assert.equal(batch.tool, null, "the envelope's copy is not taken over the payload");
	});

	test('a tool call whose payload lacks tool_use_id gets none, not the made-up correlation id', async () => {
		const {tool_use_id: _dropped, ...pre} = hookEvents.PreToolUse;
		const record = await ingest(
			fastHookBody(JSON.stringify({...pre, tool_input: {command: 'echo no-id'}}), new Date())!,
		);
		assert.equal(record.type, 'PreToolUse');
		assert.equal(record.toolUseId, null);
	});
});

describe("the envelope's time", () => {
	const envelope = (timestamp: unknown, extra: Payload = {}) =>
		JSON.stringify({
			namespace: '/',
			event: 'claude_event',
			data: {
				type: 'hook',
				subtype: 'stop',
				timestamp,
				source: 'fast_hook',
				data: {hook_event_name: 'Stop', session_id: 'time-test', n: Math.random(), ...extra},
			},
		});

	test("a valid one is the record's time, in canonical form; the forwarder's stamp does not override it", async () => {
		const cases: Array<[string, string]> = [
			['2026-03-04T05:06:07.000Z', '2026-03-04T05:06:07.000Z'],
			['2026-03-04T05:06:07.123456+00:00', '2026-03-04T05:06:07.123Z'],
			// claude-mpm's server writes `isoformat() + "Z"`.
			['2026-03-04T05:06:07.123456+00:00Z', '2026-03-04T05:06:07.123Z'],
			['2026-03-04T07:06:07+02:00', '2026-03-04T05:06:07.000Z'],
		];
		for (const [sent, time] of cases) {
			const answer = await postJson(server.url, '/api/events', envelope(sent), {
				'X-Mpm-Received': '1700000000000',
			});
			assert.equal(answer.status, 202, answer.text);
			const page = await request(`${server.url}/api/events?since=${answer.json.lastSeq - 1}&limit=1`);
			assert.equal(page.json.events[0].time, time, sent);
			assert.equal(page.json.events[0].payload._mpm.timestamp, sent, 'kept as sent');
		}
	});

	test("a bad one falls back to the forwarder's stamp, else the receive time, and stays in the payload", async () => {
		const bad: unknown[] = [
			'1',
			'yesterday',
			'2026-13-45T99:99:99Z',
			'1969-12-31T23:59:59.000Z',
			1_700_000_000_000,
			{iso: '2026-03-04T05:06:07Z'},
			'',
			`2026-03-04T05:06:07${'0'.repeat(60)}Z`,
		];
		for (const value of bad) {
			const stamped = await postJson(server.url, '/api/events', envelope(value), {
				'X-Mpm-Received': '1700000000123',
			});
			assert.equal(stamped.status, 202, `${JSON.stringify(value)}: accepted (${stamped.text})`);
			const a = (await request(`${server.url}/api/events?since=${stamped.json.lastSeq - 1}&limit=1`)).json
				.events[0];
			assert.equal(a.time, '2023-11-14T22:13:20.123Z', `${JSON.stringify(value)}: the forwarder's stamp`);
			assert.deepEqual(a.payload._mpm.timestamp, value, 'kept as sent');
			const before = Date.now();
			const plain = await postJson(server.url, '/api/events', envelope(value));
			const b = (await request(`${server.url}/api/events?since=${plain.json.lastSeq - 1}&limit=1`)).json
				.events[0];
			assert.ok(
				Date.parse(b.time) >= before - 1 && b.time === b.received,
				`${JSON.stringify(value)}: the receive time (${b.time})`,
			);
		}
	});

	test("a raw hook payload: the forwarder's stamp is the time, the server's clock is `received`", async () => {
		const before = Date.now();
		const answer = await postJson(
			server.url,
			'/api/events',
			{hook_event_name: 'Stop', session_id: 'stamp-test'},
			{'X-Mpm-Received': '1700000000456'},
		);
		const record = (await request(`${server.url}/api/events?since=${answer.json.lastSeq - 1}&limit=1`)).json
			.events[0];
		assert.equal(record.time, '2023-11-14T22:13:20.456Z');
		assert.ok(Date.parse(record.received) >= before - 1, record.received);
		assert.deepEqual(
			Object.keys(record).slice(0, 5),
			['seq', 'id', 'time', 'received', 'session'],
			'received follows time in the record',
		);
	});
});

describe("claude-mpm's Python hook handler (connection_manager_http.py)", () => {
	/** Its POST: `{namespace, event: "claude_event", data: EventNormalizer(raw_event).to_dict()}`. */
	const python = (subtype: string, data: Payload) => ({
		namespace: '',
		event: 'claude_event',
		data: {
			event: 'mpm_event',
			source: 'hook',
			type: 'hook',
			subtype,
			timestamp: '2026-03-04T05:06:07.250000+00:00',
			data,
			correlation_id: data.correlation_id,
			session_id: data.session_id,
			cwd: data.working_directory,
		},
	});

	test('its correlation_id pairs pre_tool and post_tool (no tool_use_id in its data); other events get none', async () => {
		const uuid = '4a5b6c7d-0000-4000-8000-1234567890ab';
		const pre = await ingest(
			JSON.stringify(
				python('pre_tool', {
					tool_name: 'Edit',
					tool_parameters: {file_path: '/r/a.ts'},
					session_id: 'py1',
					working_directory: '/r',
					timestamp: '2026-03-04T05:06:07.250000+00:00',
					correlation_id: uuid,
				}),
			),
		);
		const post = await ingest(
			JSON.stringify(
				python('post_tool', {
					tool_name: 'Edit',
					exit_code: 1,
					success: false,
					status: 'error',
					session_id: 'py1',
					working_directory: '/r',
					correlation_id: uuid,
				}),
			),
		);
		assert.deepEqual(
			[pre.type, pre.toolUseId, pre.tool, pre.cwd, pre.time],
			['PreToolUse', uuid, 'Edit', '/r', '2026-03-04T05:06:07.250Z'],
		);
		assert.deepEqual([post.type, post.toolUseId], ['PostToolUseFailure', uuid]);
		const prompt = await ingest(
			JSON.stringify(
				python('user_prompt', {prompt: 'hi', session_id: 'py1', correlation_id: 'not-a-tool-call'}),
			),
		);
		assert.deepEqual([prompt.type, prompt.toolUseId], ['UserPromptSubmit', null]);
	});

	test('its subagent_start carries hook_event_name: that names it', async () => {
		const start = await ingest(
			JSON.stringify(
				python('subagent_start', {
					agent_type: 'engineer',
					agent_id: 'engineer_py2',
					session_id: 'py2',
					prompt: 'do it',
					hook_event_name: 'SubagentStart',
				}),
			),
		);
		assert.deepEqual(
			[start.type, start.agentId, start.agentType, start.session],
			['SubagentStart', 'engineer_py2', 'engineer', 'py2'],
		);
	});
});
