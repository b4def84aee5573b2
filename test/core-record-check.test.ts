/**
 * core/record-check: what a client accepts from a server as a record (property-based, fast-check).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {exceedsDepth} from '../source/core/parse-body.js';
import {checkRecord, nestedDeeperThan} from '../source/core/record-check.js';
import {hostileJson, hostileRecord} from './fixtures/hostile-arbitraries.js';
import {nested} from './fixtures/hostile-events.js';

test('nestedDeeperThan measures what the JSON text would nest, without a call stack (property)', () => {
	fc.assert(
		fc.property(hostileJson, fc.integer({min: 0, max: 6}), (value, limit) => {
			assert.equal(nestedDeeperThan(value, limit), exceedsDepth(JSON.stringify(value) ?? 'null', limit));
		}),
		{numRuns: 2000},
	);
	assert.equal(nestedDeeperThan(nested(64)), false);
	assert.equal(nestedDeeperThan(nested(65)), true);
	assert.equal(nestedDeeperThan(nested(1_000_000)), true, 'a million levels: no stack overflow');
	assert.equal(nestedDeeperThan([[[]]], 3), false);
	assert.equal(nestedDeeperThan([[[]]], 2), true);
});

test('checkRecord never throws; what it accepts has every field of its type (property)', () => {
	const mutated = fc
		.tuple(
			hostileRecord,
			fc.constantFrom(
				'seq',
				'id',
				'time',
				'session',
				'type',
				'tool',
				'toolUseId',
				'agentId',
				'agentType',
				'cwd',
				'summary',
				'source',
				'payload',
			),
			hostileJson,
		)
		.map(([record, key, value]) => ({...record, [key]: value}));
	fc.assert(
		fc.property(fc.oneof(hostileRecord, mutated, hostileJson), (value) => {
			const checked = checkRecord(structuredClone(value));
			if (!checked.ok) {
				assert.equal(typeof checked.error, 'string');
				return;
			}
			const r = checked.record;
			assert.ok(Number.isSafeInteger(r.seq) && r.seq >= 1);
			for (const key of ['id', 'time', 'summary', 'source'] as const) assert.equal(typeof r[key], 'string');
			assert.ok(typeof r.type === 'string' && r.type !== '');
			for (const key of ['session', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd'] as const)
				assert.ok(r[key] === null || typeof r[key] === 'string');
			assert.ok(typeof r.payload === 'object' && r.payload !== null && !Array.isArray(r.payload));
			assert.ok(!exceedsDepth(JSON.stringify(r.payload), 64));
		}),
		{numRuns: 2000},
	);
});

test('checkRecord: the reasons', () => {
	const good = {
		seq: 7,
		id: 'a',
		time: 't',
		session: null,
		type: 'Stop',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: '',
		source: 'hook',
		payload: {},
	};
	assert.equal(checkRecord(good).ok, true);
	const reason = (value: unknown) => {
		const checked = checkRecord(value);
		return checked.ok ? 'ok' : `${checked.error} [seq ${checked.seq}]`;
	};
	assert.equal(reason('x'), 'a record must be a JSON object, got string [seq null]');
	assert.equal(reason([good]), 'a record must be a JSON object, got array [seq null]');
	assert.equal(
		reason({...good, seq: '7'}),
		'record seq must be a whole number from 1 to 9007199254740991, got string [seq null]',
	);
	assert.equal(
		reason({...good, seq: 0}),
		'record seq must be a whole number from 1 to 9007199254740991, got 0 [seq null]',
	);
	assert.equal(
		reason({...good, seq: 2 ** 53}),
		'record seq must be a whole number from 1 to 9007199254740991, got 9007199254740992 [seq null]',
	);
	assert.equal(
		reason({...good, type: ''}),
		'record type must be a non-empty string, got an empty one [seq 7]',
	);
	assert.equal(reason({...good, type: {}}), 'record type must be a non-empty string, got object [seq 7]');
	assert.equal(reason({...good, tool: 5}), 'record tool must be a string or null, got number [seq 7]');
	assert.equal(reason({...good, payload: null}), 'record payload must be an object, got null [seq 7]');
	assert.equal(
		reason({...good, payload: nested(65)}),
		'record payload is nested deeper than 64 levels [seq 7]',
	);
	assert.equal(reason({...good, payload: nested(64)}), 'ok', 'as deep as an HTTP body may be');
	const missing: Record<string, unknown> = {...good};
	delete missing.cwd;
	const checked = checkRecord(missing);
	assert.ok(checked.ok && checked.record.cwd === null, 'a missing optional field becomes null');
});
