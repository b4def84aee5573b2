/**
 * The OTLP routes' fuzz cases (`/v1/logs`, `/v1/metrics`, `/v1/traces`) and their checks, run by
 * fuzz-paths.ts as the `otlp` path against the real server (fuzz-server.ts).
 *
 * Cases: bodies of the right shape with hostile values — prototype names as attribute keys and as
 * field names, AnyValues nested past the limit, huge arrays, wrong types, int64 strings out of
 * range, bad hex ids, enum names that are not — and broken containers, bodies that are not JSON,
 * the wrong media types, gzip (good, garbage, cut short, a bomb), the same body sent twice at once.
 *
 * Checks, from the answers and the records alone: every answer is 200, 400, 413 or 415 with a JSON
 * body (a refusal with a reason); a logs answer's stored records are exactly the countable records
 * sent (those in well-formed containers) minus its `partialSuccess.rejectedLogRecords`, none stored
 * twice (each record carries a fresh marker as `tool_use_id`), a repeated body stores nothing; a
 * metrics answer stores at most one `otel.metrics` record and rejects at most the points sent;
 * traces store nothing. Between the requests hook events go to /api/events and must be stored;
 * FuzzServer.verify then checks stdout, the journal, the history and the Socket.IO listener.
 */
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {hostileString, keyString, PROTOTYPE_KEYS} from './fuzz-arbitraries.js';
import {clip, freshMarker, goodEventText, parseJson, type FuzzServer, type Seen} from './fuzz-server.js';
import type {PathFigures} from './fuzz-paths.js';
import {rawRequest, type RawAnswer} from './raw-request.js';

/** The body size limit (docs/protocol.md); for gzip it applies to the inflated body. */
const MAX_BODY = 1_048_576;

type Json = unknown;

/** A JSON object whose fields may be prototype names (own data properties, as JSON.parse makes them). */
function object(entries: Array<[string, Json]>): Record<string, Json> {
	const out: Record<string, Json> = {};
	for (const [key, value] of entries)
		Object.defineProperty(out, key, {value, enumerable: true, writable: true, configurable: true});
	return out;
}

/** Keys for attributes: prototype names, hostile text, Claude Code's names; never `tool_use_id` (the marker's). */
const attrKey: fc.Arbitrary<string> = fc
	.oneof(
		{weight: 3, arbitrary: keyString},
		{
			weight: 2,
			arbitrary: fc.constantFrom(
				'session.id',
				'event.name',
				'model',
				'cost_usd',
				'input_tokens',
				'user.email',
				'prompt.id',
				'event.sequence',
			),
		},
	)
	.filter((key) => key !== 'tool_use_id');

const int64Text = fc.oneof(
	fc.bigInt({min: -(2n ** 63n), max: 2n ** 63n - 1n}).map(String),
	fc.constantFrom(
		'9223372036854775808',
		'-9223372036854775809',
		'99999999999999999999999',
		'1e3',
		'0x10',
		'',
		' 1',
		'1.5',
		'-',
		'00012',
	),
	fc.integer().map((n) => n as Json),
	fc.double().map((n) => n as Json),
);

const doubleText: fc.Arbitrary<Json> = fc.oneof(
	fc.double({noNaN: true, noDefaultInfinity: true}),
	fc.constantFrom('NaN', 'Infinity', '-Infinity', 'nan', '1.5', 'abc', '1e400', true, null, [], {}),
);

/** AnyValue leaves, right and wrong. */
const anyLeaf: fc.Arbitrary<Json> = fc.oneof(
	{weight: 3, arbitrary: hostileString.map((s) => ({stringValue: s}))},
	{weight: 1, arbitrary: fc.boolean().map((b) => ({boolValue: b}))},
	{weight: 2, arbitrary: int64Text.map((v) => ({intValue: v}))},
	{weight: 2, arbitrary: doubleText.map((v) => ({doubleValue: v}))},
	{weight: 1, arbitrary: fc.constantFrom('aGk=', 'not base64!', '', '====').map((v) => ({bytesValue: v}))},
	{
		weight: 1,
		arbitrary: fc.constantFrom<Json>(
			5,
			'text',
			null,
			[],
			{},
			{stringValue: 5},
			{boolValue: 'true'},
			{arrayValue: 3},
			{kvlistValue: []},
			{arrayValue: {values: {}}},
			{unknownValue: 1},
		),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(...PROTOTYPE_KEYS).map((key) => object([[key, {stringValue: 'x'}]])),
	},
);

/** AnyValues nested `depth` levels (the receiver refuses past 16). */
function nestedAny(depth: number, kind: 'array' | 'kvlist'): Json {
	let value: Json = {intValue: '1'};
	for (let i = 0; i < depth; i++)
		value =
			kind === 'array'
				? {arrayValue: {values: [value]}}
				: {kvlistValue: {values: [{key: '__proto__', value}]}};
	return value;
}

const anyValue: fc.Arbitrary<Json> = fc.letrec<{value: Json; array: Json; kvlist: Json}>((tie) => ({
	value: fc.oneof(
		{depthSize: 'small', withCrossShrink: true},
		{weight: 6, arbitrary: anyLeaf},
		{weight: 1, arbitrary: tie('array')},
		{weight: 1, arbitrary: tie('kvlist')},
	),
	array: fc.array(tie('value'), {maxLength: 4}).map((values) => ({arrayValue: {values}})),
	kvlist: fc
		.array(fc.tuple(attrKey, tie('value')), {maxLength: 4})
		.map((entries) => ({kvlistValue: {values: entries.map(([key, value]) => ({key, value}))}})),
})).value;

const bigValue: fc.Arbitrary<Json> = fc.oneof(
	fc
		.tuple(fc.integer({min: 10, max: 40}), fc.constantFrom<'array' | 'kvlist'>('array', 'kvlist'))
		.map(([depth, kind]) => nestedAny(depth, kind)),
	fc
		.constantFrom(2000, 20_000)
		.map((n) => ({arrayValue: {values: Array.from({length: n}, (_, i) => ({intValue: String(i)}))}})),
	fc.constantFrom(70_000, 400_000).map((n) => ({stringValue: 'x'.repeat(n)})),
);

const brokenKeyValue = fc.constantFrom<Json>(
	null,
	5,
	'k',
	[],
	{value: {stringValue: 'no key'}},
	{key: 5, value: {}},
	object([['__proto__', {key: 'x'}]]),
);

const keyValue = (big: boolean): fc.Arbitrary<Json> =>
	fc.oneof(
		{weight: 8, arbitrary: fc.tuple(attrKey, anyValue).map(([key, value]) => ({key, value}))},
		...(big
			? [{weight: 1, arbitrary: fc.tuple(attrKey, bigValue).map(([key, value]) => ({key, value}))}]
			: []),
		{weight: 1, arbitrary: brokenKeyValue},
	);

/**
 * An attribute list; sometimes not a list at all (the records under it are then refused). Huge
 * values and lists where `big`: a log record's own attributes and its resource's and scope's
 * (copied into each of their records: the receiver refuses a request whose copies pass the size
 * limit, 413). A metrics resource's stay small.
 */
const attributesOf = (big: boolean): fc.Arbitrary<{list: Json[]; broken?: Json}> =>
	fc.oneof(
		{weight: 8, arbitrary: fc.array(keyValue(big), {maxLength: 6}).map((list) => ({list}))},
		...(big
			? [
					{
						weight: 1,
						arbitrary: fc.constantFrom(500, 5000).map((n) => ({
							list: Array.from({length: n}, (_, i) => ({key: `k${i}`, value: {intValue: i}})),
						})),
					},
				]
			: []),
		{weight: 1, arbitrary: fc.constantFrom<Json>(5, 'attrs', {}, true).map((broken) => ({list: [], broken}))},
	);
const attributes = attributesOf(true);
const outerAttributes = attributesOf(false);

const hexId = (bytes: number): fc.Arbitrary<Json> =>
	fc.oneof(
		{
			weight: 3,
			arbitrary: fc
				.uint8Array({minLength: bytes, maxLength: bytes})
				.map((a) => Buffer.from(a).toString('hex')),
		},
		{
			weight: 1,
			arbitrary: fc.constantFrom<Json>(
				'',
				null,
				'zz'.repeat(bytes),
				'ab',
				'AB'.repeat(bytes),
				'a'.repeat(bytes * 2 + 1),
				12,
				Buffer.alloc(bytes).toString('base64'),
			),
		},
	);

const timeNano: fc.Arbitrary<Json> = fc.oneof(
	fc.constant(undefined),
	fc.bigInt({min: 0n, max: 2n ** 64n}).map(String),
	int64Text,
	fc.constantFrom<Json>('1764496800000000000', 1764496800000000000, -1, 'yesterday', null),
);

/** A log record as a model: its fields, and whether it carries the marker in a readable attribute list. */
interface RecordModel {
	fields: Array<[string, Json]>;
	attributes: {list: Json[]; broken?: Json};
}

const logRecord: fc.Arbitrary<RecordModel | {notObject: Json}> = fc.oneof(
	{
		weight: 12,
		arbitrary: fc
			.record(
				{
					eventName: fc.oneof(
						fc.constantFrom('claude_code.api_request', 'tool_result', 'api_request'),
						hostileString,
						fc.constantFrom<Json>(5, null, 'x'.repeat(300)),
					),
					body: fc.oneof(anyValue, fc.constantFrom<Json>({stringValue: 'claude_code.tool_result'})),
					timeUnixNano: timeNano,
					observedTimeUnixNano: timeNano,
					traceId: hexId(16),
					spanId: hexId(8),
					severityNumber: fc.oneof(
						fc.integer({min: -5, max: 30}),
						fc.constantFrom<Json>('SEVERITY_NUMBER_INFO', 'LOUD', 1.5),
					),
					extra: fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), anyValue), {maxLength: 2}),
				},
				{requiredKeys: ['extra']},
			)
			.chain((r) =>
				attributes.map((attrs) => {
					const fields: Array<[string, Json]> = [];
					for (const key of [
						'eventName',
						'body',
						'timeUnixNano',
						'observedTimeUnixNano',
						'traceId',
						'spanId',
						'severityNumber',
					] as const) {
						if (r[key] !== undefined) fields.push([key, r[key]]);
					}
					fields.push(...r.extra);
					return {fields, attributes: attrs};
				}),
			),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom<Json>(5, 'record', null, [], true).map((notObject) => ({notObject})),
	},
);

/** What breaks a container: its records are then not countable (the receiver reads none of them). */
const container = fc.oneof(
	{weight: 10, arbitrary: fc.constant<Json>(undefined)},
	{weight: 1, arbitrary: fc.constantFrom<Json>(5, 'x', {}, true)},
);

interface LogsModel {
	resources: Array<{
		notObject?: Json;
		resourceAttrs: {list: Json[]; broken?: Json};
		scopesBroken: Json;
		scopes: Array<{
			notObject?: Json;
			name: Json;
			scopeAttrs: {list: Json[]; broken?: Json};
			recordsBroken: Json;
			records: Array<RecordModel | {notObject: Json}>;
		}>;
	}>;
	/** Prototype-named fields on the request object. */
	extra: Array<[string, Json]>;
}

const manyRecords = fc.constantFrom(150, 1200).map((n) =>
	Array.from({length: n}, (_, i) => ({
		fields: [['eventName', 'claude_code.tool_result']] as Array<[string, Json]>,
		attributes: {list: [{key: 'i', value: {intValue: String(i)}}]},
	})),
);

const logsModel: fc.Arbitrary<LogsModel> = fc.record({
	resources: fc.array(
		fc.record({
			notObject: fc.oneof(
				{weight: 12, arbitrary: fc.constant(undefined)},
				{weight: 1, arbitrary: fc.constantFrom<Json>(5, null, 'r')},
			),
			resourceAttrs: attributes,
			scopesBroken: container,
			scopes: fc.array(
				fc.record({
					notObject: fc.oneof(
						{weight: 12, arbitrary: fc.constant(undefined)},
						{weight: 1, arbitrary: fc.constantFrom<Json>(5, null, [])},
					),
					name: fc.oneof(
						fc.constant<Json>('com.anthropic.claude_code.events'),
						hostileString,
						fc.constant<Json>(7),
					),
					scopeAttrs: attributes,
					recordsBroken: container,
					records: fc.oneof(
						{weight: 8, arbitrary: fc.array(logRecord, {maxLength: 8})},
						{weight: 1, arbitrary: manyRecords},
					),
				}),
				{maxLength: 3},
			),
		}),
		{minLength: 1, maxLength: 3},
	),
	extra: fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom<Json>(1, {}, [], 'x')), {
		maxLength: 2,
	}),
});

function attrsJson(a: {list: Json[]; broken?: Json}, marker?: string): Json {
	if (a.broken !== undefined) return a.broken;
	return marker === undefined ? a.list : [...a.list, {key: 'tool_use_id', value: {stringValue: marker}}];
}

/** The logs body, the markers it carries and how many records the receiver can count in it. */
function buildLogs(model: LogsModel): {body: Json; countable: number; markers: string[]} {
	const markers: string[] = [];
	let countable = 0;
	const resourceLogs = model.resources.map((r) => {
		if (r.notObject !== undefined) return r.notObject;
		const scopes = r.scopes.map((s) => {
			if (s.notObject !== undefined) return s.notObject;
			const records = s.records.map((rec) => {
				if ('notObject' in rec) return rec.notObject;
				const marker = freshMarker('otlp');
				markers.push(marker);
				return object([...rec.fields, ['attributes', attrsJson(rec.attributes, marker)]]);
			});
			if (s.recordsBroken === undefined && r.scopesBroken === undefined) countable += records.length;
			return {
				scope: {name: s.name, attributes: attrsJson(s.scopeAttrs)},
				logRecords: s.recordsBroken ?? records,
			};
		});
		return {resource: {attributes: attrsJson(r.resourceAttrs)}, scopeLogs: r.scopesBroken ?? scopes};
	});
	return {body: object([['resourceLogs', resourceLogs], ...model.extra]), countable, markers};
}

const dataPoint: fc.Arbitrary<Json> = fc.oneof(
	{
		weight: 6,
		arbitrary: fc
			.record({
				value: fc.oneof(
					doubleText.map((v) => ['asDouble', v] as [string, Json]),
					int64Text.map((v) => ['asInt', v] as [string, Json]),
				),
				attributes,
				startTimeUnixNano: timeNano,
				timeUnixNano: timeNano,
			})
			.map((p) =>
				object([
					p.value,
					['attributes', attrsJson(p.attributes)],
					['startTimeUnixNano', p.startTimeUnixNano],
					['timeUnixNano', p.timeUnixNano],
				]),
			),
	},
	{weight: 1, arbitrary: fc.constantFrom<Json>(5, null, 'p', [], {})},
);

const metric: fc.Arbitrary<Json> = fc
	.record({
		name: fc.oneof(
			fc.constantFrom<Json>(
				'claude_code.cost.usage',
				'claude_code.token.usage',
				'claude_code.lines_of_code.count',
				5,
				null,
			),
			hostileString,
		),
		kind: fc.constantFrom('sum', 'gauge', 'histogram', '__proto__', 'nothing'),
		temporality: fc.constantFrom<Json>(
			1,
			2,
			0,
			'AGGREGATION_TEMPORALITY_DELTA',
			'AGGREGATION_TEMPORALITY_CUMULATIVE',
			'SOMETIMES',
			9,
			-1,
			undefined,
		),
		points: fc.oneof(
			{weight: 6, arbitrary: fc.array(dataPoint, {maxLength: 5})},
			{weight: 1, arbitrary: fc.constantFrom<Json>(5, {}, 'x')},
		),
	})
	.map((m) =>
		object([
			['name', m.name],
			[m.kind, {dataPoints: m.points, aggregationTemporality: m.temporality, isMonotonic: true}],
		]),
	);

const metricsBody: fc.Arbitrary<Json> = fc
	.array(fc.record({attrs: outerAttributes, metrics: fc.array(metric, {maxLength: 4}), broken: container}), {
		minLength: 1,
		maxLength: 3,
	})
	.map((resources) => ({
		resourceMetrics: resources.map((r) => ({
			resource: {attributes: attrsJson(r.attrs)},
			scopeMetrics: r.broken ?? [{scope: {name: 'com.anthropic.claude_code'}, metrics: r.metrics}],
		})),
	}));

const tracesBody: fc.Arbitrary<Json> = fc
	.array(
		fc.array(
			fc.record({
				traceId: hexId(16),
				spanId: hexId(8),
				name: hostileString,
				attributes: attributes.map((a) => attrsJson(a)),
			}),
			{maxLength: 4},
		),
		{minLength: 1, maxLength: 3},
	)
	.map((groups) => ({resourceSpans: groups.map((spans) => ({scopeSpans: [{spans}]}))}));

export type OtlpSignal = 'logs' | 'metrics' | 'traces';

export interface OtlpCase {
	signal: OtlpSignal;
	logs?: LogsModel;
	body?: Json;
	/** A body that is not an OTLP request at all (not JSON, not an object, empty, deep). */
	raw?: string;
	contentType: string | undefined;
	gzip: 'none' | 'good' | 'garbage' | 'cut' | 'bomb';
	/** Send the same bytes again right after. */
	repeat: boolean;
	/** Post a hook event to /api/events after this request. */
	hookAfter: boolean;
}

const rawBody = fc.oneof(
	fc.constantFrom(
		'',
		' ',
		'null',
		'[]',
		'5',
		'"text"',
		'{',
		'{"resourceLogs": 5}',
		'{"resourceLogs": [1, null, "x"]}',
		'{"__proto__": {"resourceLogs": []}}',
		'{"resourceLogs":[],"resourceLogs":[{}]}',
	),
	fc.integer({min: 60, max: 2000}).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
	hostileString,
);

const mediaType = fc.oneof(
	{weight: 12, arbitrary: fc.constant<string | undefined>('application/json')},
	{
		weight: 2,
		arbitrary: fc.constantFrom<string | undefined>(
			undefined,
			'application/json; charset=utf-8',
			'Application/JSON',
			'application/otlp+json',
		),
	},
	{
		weight: 2,
		arbitrary: fc.constantFrom<string | undefined>(
			'application/x-protobuf',
			'application/grpc',
			'text/plain',
			'multipart/form-data; boundary=x',
			'',
		),
	},
);

const gzipMode = fc.oneof(
	{weight: 10, arbitrary: fc.constant<OtlpCase['gzip']>('none')},
	{weight: 2, arbitrary: fc.constant<OtlpCase['gzip']>('good')},
	{weight: 1, arbitrary: fc.constantFrom<OtlpCase['gzip']>('garbage', 'cut', 'bomb')},
);

const flags = fc.record({
	contentType: mediaType,
	gzip: gzipMode,
	repeat: fc.oneof({weight: 5, arbitrary: fc.constant(false)}, {weight: 1, arbitrary: fc.constant(true)}),
	hookAfter: fc.boolean(),
});

export const otlpCase: fc.Arbitrary<OtlpCase> = fc.oneof(
	{
		weight: 6,
		arbitrary: fc.tuple(logsModel, flags).map(([logs, f]) => ({signal: 'logs' as const, logs, ...f})),
	},
	{
		weight: 3,
		arbitrary: fc.tuple(metricsBody, flags).map(([body, f]) => ({signal: 'metrics' as const, body, ...f})),
	},
	{
		weight: 1,
		arbitrary: fc.tuple(tracesBody, flags).map(([body, f]) => ({signal: 'traces' as const, body, ...f})),
	},
	{
		weight: 1,
		arbitrary: fc
			.tuple(fc.constantFrom<OtlpSignal>('logs', 'metrics', 'traces'), rawBody, flags)
			.map(([signal, raw, f]) => ({signal, raw, ...f})),
	},
);

/** The JSON text of a body; JSON.stringify writes lone surrogates as escapes, so the bytes are UTF-8. */
function encodeBody(c: OtlpCase, text: string): Buffer {
	const bytes = Buffer.from(text, 'utf8');
	switch (c.gzip) {
		case 'none':
			return bytes;
		case 'good':
			return gzipSync(bytes);
		case 'garbage':
			return Buffer.concat([
				Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
				bytes.subarray(0, 64),
				Buffer.from('garbage'),
			]);
		case 'cut': {
			const zipped = gzipSync(bytes);
			return zipped.subarray(0, Math.max(1, zipped.length - 9));
		}
		case 'bomb':
			return gzipSync(Buffer.alloc(MAX_BODY + 4096, 0x20));
	}
}

const ALLOWED = new Set([200, 400, 413, 415]);

/** Why an answer breaks the receiver's contract (status, JSON body), or null. */
function answerProblem(answer: RawAnswer): string | null {
	if (!ALLOWED.has(answer.status))
		return `answered ${answer.status} (expected 200, 400, 413 or 415): ${clip(answer.body.toString('utf8'))}`;
	const body = parseJson(answer.body);
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		return `answered ${answer.status} without a JSON object body: ${clip(answer.body.toString('utf8'))}`;
	if (answer.status !== 200 && (typeof body.error !== 'string' || body.error.trim() === ''))
		return `answered ${answer.status} without a reason in "error": ${clip(answer.body.toString('utf8'))}`;
	return null;
}

/** A partialSuccess count: absent is 0; else a string (or number) of digits. */
function rejectedCount(body: any, field: string): number | string {
	const partial = body?.partialSuccess;
	if (partial === undefined) return 0;
	if (typeof partial !== 'object' || partial === null)
		return `partialSuccess is not an object: ${clip(JSON.stringify(partial))}`;
	const raw = partial[field];
	if (raw === undefined) return 0;
	const n =
		typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : Number.NaN;
	if (!Number.isSafeInteger(n) || n < 0)
		return `partialSuccess.${field} is not a count: ${clip(JSON.stringify(raw))}`;
	return n;
}

async function send(server: FuzzServer, c: OtlpCase, body: Buffer, what: string): Promise<RawAnswer> {
	const headers: Array<[string, string]> = [];
	if (c.contentType !== undefined) headers.push(['Content-Type', c.contentType]);
	if (c.gzip !== 'none') headers.push(['Content-Encoding', 'gzip']);
	try {
		return await rawRequest({port: server.port, method: 'POST', path: `/v1/${c.signal}`, headers, body});
	} catch (error) {
		server.dirty = true;
		throw new Error(`${what}: no answer (${(error as Error).message})${await server.deathNote()}`);
	}
}

/** Is the media type one the receiver reads (JSON)? */
function jsonType(type: string | undefined): boolean {
	if (type === undefined) return true;
	const t = type.split(';')[0].trim().toLowerCase();
	// An empty header is no media type: read as JSON.
	if (type === '') return true;
	return t === 'application/json' || t.endsWith('+json');
}

/** Sends each case (and its repeat), checks each answer, then the records of the whole batch. */
export async function runOtlpCases(
	server: FuzzServer,
	cases: OtlpCase[],
	figures: PathFigures,
): Promise<void> {
	/** Log records the answers say were stored, metrics records at most, and what sent them. */
	let expectLogs = 0;
	let maxMetrics = 0;
	const allMarkers: string[] = [];
	for (const [n, c] of cases.entries()) {
		const built =
			c.signal === 'logs' && c.logs ? buildLogs(c.logs) : {body: c.body, countable: 0, markers: []};
		const text = c.raw ?? JSON.stringify(built.body);
		const bytes = encodeBody(c, text);
		const what = `case ${n} (/v1/${c.signal}${c.raw !== undefined ? ', raw body' : ''}, ${c.contentType ?? 'no content type'}, gzip ${c.gzip}${c.repeat ? ', sent twice' : ''})`;
		for (const marker of built.markers) server.expectAtMostOnce(marker, what);
		allMarkers.push(...built.markers);
		for (let round = 0; round < (c.repeat ? 2 : 1); round++) {
			const label = round === 0 ? what : `${what}, the second time`;
			figures.cases++;
			figures.items += built.countable;
			const answer = await send(server, c, bytes, label);
			const problem = answerProblem(answer);
			if (problem) throw new Error(`${label}: ${problem}`);
			if (!jsonType(c.contentType) && answer.status !== 415)
				throw new Error(`${label}: media type ${c.contentType} answered ${answer.status}, expected 415`);
			const small = Buffer.byteLength(text) <= MAX_BODY;
			if (
				(c.gzip === 'garbage' || c.gzip === 'cut') &&
				jsonType(c.contentType) &&
				small &&
				answer.status !== 400
			)
				throw new Error(`${label}: a broken gzip body answered ${answer.status}, expected 400`);
			if (!small && jsonType(c.contentType) && c.gzip !== 'garbage' && answer.status !== 413)
				throw new Error(
					`${label}: a body of ${Buffer.byteLength(text)} bytes (over the limit) answered ${answer.status}, expected 413`,
				);
			if (c.gzip === 'bomb' && jsonType(c.contentType) && answer.status !== 413)
				throw new Error(
					`${label}: a gzip body inflating past the limit answered ${answer.status}, expected 413`,
				);
			if (answer.status !== 200) {
				figures.refused++;
				continue;
			}
			const body = parseJson(answer.body);
			if (c.signal === 'logs') {
				const rejected = rejectedCount(body, 'rejectedLogRecords');
				if (typeof rejected === 'string') throw new Error(`${label}: ${rejected}`);
				if (rejected > built.countable)
					throw new Error(`${label}: ${rejected} log records rejected of ${built.countable} sent`);
				// The second time every record is a duplicate of the first: nothing new is stored.
				if (round === 0) {
					expectLogs += built.countable - rejected;
					figures.accepted += built.countable - rejected;
				}
			} else if (c.signal === 'metrics') {
				const rejected = rejectedCount(body, 'rejectedDataPoints');
				if (typeof rejected === 'string') throw new Error(`${label}: ${rejected}`);
				maxMetrics++;
			} else {
				const rejected = rejectedCount(body, 'rejectedSpans');
				if (rejected !== 0)
					throw new Error(
						`${label}: traces answered rejectedSpans ${JSON.stringify(body?.partialSuccess?.rejectedSpans)}, expected 0`,
					);
			}
		}
		if (c.hookAfter) {
			// /api/events keeps working while OTLP requests come in.
			const marker = freshMarker();
			const answer = await rawRequest({
				port: server.port,
				method: 'POST',
				path: '/api/events',
				headers: [['Content-Type', 'application/json']],
				body: Buffer.from(goodEventText(marker)),
			});
			const counts = parseJson(answer.body);
			if (answer.status !== 202 || counts?.accepted !== 1)
				throw new Error(
					`after ${what}: POST /api/events answered ${answer.status} ${clip(answer.body.toString('utf8'))}`,
				);
			server.expectAccepted(1, counts.lastSeq, `the hook event after ${what}`);
			server.expectDelivered(marker, `the hook event after ${what}`);
		}
	}
	await server.verify({
		consecutiveOnly: true,
		inspect: (records) => {
			let logs = 0;
			let metrics = 0;
			const ours = new Set(allMarkers);
			for (const seen of records.values() as Iterable<Seen>) {
				if (seen.source !== 'otel') continue;
				if (seen.type === 'otel.metrics') metrics++;
				else logs++;
				if (seen.type !== 'otel.metrics' && seen.toolUseId !== null && !ours.has(seen.toolUseId))
					return [
						`an otel record carries tool_use_id ${clip(seen.toolUseId)}, which no request of this batch sent`,
					];
			}
			const problems: string[] = [];
			if (logs !== expectLogs)
				problems.push(
					`${logs} otel log record(s) stored, but the answers account for ${expectLogs} (countable records sent minus partialSuccess.rejectedLogRecords)`,
				);
			if (metrics > maxMetrics)
				problems.push(
					`${metrics} otel.metrics record(s) stored for ${maxMetrics} metrics request(s) answered 200 (at most one each)`,
				);
			return problems;
		},
	});
}
