/**
 * A record sent whole (a replay, another mpm-tui) carries its own `time` and `received`: they are
 * taken only as ISO 8601 date-times after 1970, as every other time in the protocol, and written
 * back as `toISOString()`; anything else refuses the record with the reason.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {normalize} from '../source/core/normalize.js';
import {startServer} from '../source/server/server.js';
import {postJson, request, testConfig} from './helpers/server-kit.js';

const META = {
	id: 'm',
	receivedAt: '2026-01-01T00:00:00.000Z',
	received: '2026-01-01T00:00:01.000Z',
	source: 'hook',
};
const record = (extra: Record<string, unknown>) => ({
	id: 'rec-1',
	type: 'Stop',
	summary: 's',
	payload: {},
	time: '2026-05-01T10:00:00.000Z',
	...extra,
});
/** The reason protocol.md gives, with the value as JSON (its first 40 characters). */
const reason = (key: string, value: unknown) =>
	`record ${key} must be an ISO date string after 1970 (as 2026-07-27T12:31:53.000Z), got ${JSON.stringify(value).slice(0, 40)}`;

test('over HTTP: loose times that Date.parse reads are refused with the reason; ISO ones are taken in UTC', async () => {
	const server = await startServer(testConfig({journal: false}));
	try {
		const before = server.stats().events.lastSeq;
		const bad: Array<[string, string]> = [
			['time', '1'],
			['time', 'x 2020 (\u202eevil\u001b[2J)'],
			['time', '-271821-04-20T00:00:00Z'],
			['time', '12/31/99'],
			['time', '1969-12-31T23:59:59Z'],
			['received', '9'],
			['received', '(\u0007)1'],
		];
		for (const [key, value] of bad) {
			const r = await postJson(server.url, '/api/events', record({[key]: value}));
			assert.equal(r.status, 400, `${key} ${JSON.stringify(value)}`);
			assert.equal(r.json.error, reason(key, value));
		}
		assert.equal(server.stats().events.lastSeq, before, 'none was stored');
		const good = await postJson(
			server.url,
			'/api/events',
			record({id: 'rec-ok', time: '2026-07-27T14:31:53.5+02:00', received: '2026-07-27 12:31:54Z'}),
		);
		assert.equal(good.status, 202, good.text);
		const page = await request(`${server.url}/api/events?since=${before}`);
		const [stored] = page.json.events;
		assert.deepEqual(
			[stored.time, stored.received],
			['2026-07-27T12:31:53.500Z', '2026-07-27T12:31:54.000Z'],
		);
	} finally {
		await server.close();
	}
});

test('property: any instant 1970–9999 written by toISOString is taken as it is, as time and as received', () => {
	fc.assert(
		fc.property(
			fc.date({min: new Date(1), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true}),
			fc.date({min: new Date(1), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true}),
			(t, r) => {
				const result = normalize(record({time: t.toISOString(), received: r.toISOString()}), META);
				assert.ok(result.ok);
				assert.deepEqual([result.record.time, result.record.received], [t.toISOString(), r.toISOString()]);
			},
		),
	);
});

test('property: a time that does not start as YYYY-MM-DD followed by a T or a space and HH:MM is refused, whatever Date.parse makes of it', () => {
	const notIso = fc
		.oneof(
			fc.string(),
			fc.integer().map(String),
			fc.date({noInvalidDate: true}).map((d) => d.toString()),
			fc.date({noInvalidDate: true}).map((d) => d.toUTCString()),
			fc.date({noInvalidDate: true}).map((d) => d.toLocaleDateString('en-US')),
		)
		.filter((s) => !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s));
	fc.assert(
		fc.property(notIso, fc.constantFrom('time', 'received'), (value, key) => {
			const result = normalize(record({[key]: value}), META);
			assert.deepEqual(result, {ok: false, error: reason(key, value)});
		}),
	);
});
