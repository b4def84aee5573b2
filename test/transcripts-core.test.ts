/**
 * The pure part of transcript usage: reading a line (hostile ones too), ccusage's dedupe rules
 * as lines stream in, and prices. Expected dollars are worked out by hand from the table's own
 * numbers (prices-data.ts), written out in each test.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	parseTranscriptLine,
	TranscriptUsageDeduper,
	type TranscriptUsage,
} from '../source/core/usage/transcript-usage.js';
import {parsePriceFile, PriceIndex, priceOf, type UsageTokens} from '../source/core/usage/prices.js';
import {BUILT_IN_PRICES} from '../source/core/usage/prices-data.js';

function line(
	overrides: Record<string, unknown> = {},
	usage: Record<string, unknown> = {},
	message: Record<string, unknown> = {},
): string {
	return JSON.stringify({
		type: 'assistant',
		sessionId: 's1',
		timestamp: '2026-06-01T10:00:00.000Z',
		requestId: 'req_1',
		version: '2.1.200',
		message: {
			id: 'msg_1',
			model: 'claude-sonnet-4-5-20250929',
			role: 'assistant',
			usage: {
				input_tokens: 10,
				output_tokens: 5,
				cache_creation_input_tokens: 0,
				cache_read_input_tokens: 0,
				...usage,
			},
			...message,
		},
		...overrides,
	});
}

function usageOf(text: string): TranscriptUsage {
	const result = parseTranscriptLine(text);
	assert.equal(result.kind, 'usage', JSON.stringify(result));
	return (result as {usage: TranscriptUsage}).usage;
}

describe('parseTranscriptLine', () => {
	test('an assistant line gives its usage, ids, model, time and the 5 m / 1 h cache split', () => {
		const u = usageOf(
			line(
				{costUSD: 0.5, isSidechain: true},
				{
					cache_creation_input_tokens: 30,
					cache_creation: {ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20},
					cache_read_input_tokens: 7,
					speed: 'fast',
				},
			),
		);
		assert.deepEqual(u, {
			messageId: 'msg_1',
			requestId: 'req_1',
			sessionId: 's1',
			timestamp: '2026-06-01T10:00:00.000Z',
			model: 'claude-sonnet-4-5-20250929',
			inputTokens: 10,
			outputTokens: 5,
			cacheCreationTokens: 30,
			cacheCreation5mTokens: 10,
			cacheCreation1hTokens: 20,
			cacheReadTokens: 7,
			costUSD: 0.5,
			speed: 'fast',
			isSidechain: true,
			promptId: null,
		});
	});

	test('lines without usage are "other"; unreadable or hostile ones are skipped with a reason, never thrown', () => {
		assert.deepEqual(
			parseTranscriptLine(JSON.stringify({type: 'user', message: {role: 'user', content: 'hi'}})),
			{kind: 'other'},
		);
		assert.deepEqual(parseTranscriptLine(JSON.stringify({type: 'summary', summary: 'x'})), {kind: 'other'});
		const skipped = (text: string) => {
			const r = parseTranscriptLine(text);
			assert.equal(r.kind, 'skipped', text.slice(0, 80));
			return (r as {reason: string}).reason;
		};
		assert.equal(skipped('{"message":'), 'not JSON');
		assert.equal(skipped('[1,2]'), 'not an object');
		assert.equal(skipped('"usage"'), 'not an object');
		assert.equal(skipped(`{"message":{"usage":${'['.repeat(100_000)}`), 'too deep');
		// eslint-disable-next-line no-loss-of-precision -- a number JSON cannot hold (it becomes Infinity)
		assert.equal(skipped(line({}, {input_tokens: 1e400})), 'bad usage');
		assert.equal(skipped(line({}, {output_tokens: -1})), 'bad usage');
		assert.equal(skipped(line({}, {input_tokens: 2 ** 60})), 'bad usage');
		assert.equal(skipped(line({}, {input_tokens: '5'})), 'bad usage');
		assert.equal(skipped(line({}, {cache_creation: [1]})), 'bad usage');
		assert.equal(
			skipped(JSON.stringify({timestamp: '2026-06-01T10:00:00Z', message: {id: 'm', usage: 5}})),
			'bad usage',
		);
		assert.equal(skipped(line({timestamp: 'yesterday'})), 'no timestamp');
		assert.equal(skipped(line({timestamp: undefined})), 'no timestamp');
		assert.equal(skipped(line({}, {}, {id: undefined})), 'no message id');
		assert.equal(skipped(line({}, {}, {id: ''})), 'bad field');
		assert.equal(skipped(line({requestId: 'r'.repeat(1_000_000)})), 'bad field');
		assert.equal(skipped(line({}, {}, {model: {toString: 1}})), 'bad field');
		assert.equal(skipped(line({isApiErrorMessage: true}, {}, {model: '<synthetic>'})), 'api error message');
	});

	test('prototype keys are data: a usage or message reached only through __proto__ is not read', () => {
		const text =
			'{"timestamp":"2026-06-01T10:00:00Z","__proto__":{"message":{"id":"m","usage":{"input_tokens":1,"output_tokens":1}}}}';
		assert.deepEqual(parseTranscriptLine(text), {kind: 'other'});
		const inner =
			'{"timestamp":"2026-06-01T10:00:00Z","message":{"id":"m","__proto__":{"usage":{"input_tokens":1,"output_tokens":1}}}}';
		assert.deepEqual(parseTranscriptLine(inner), {kind: 'other'});
		const tokens =
			'{"timestamp":"2026-06-01T10:00:00Z","message":{"id":"m","usage":{"__proto__":{"input_tokens":1},"output_tokens":1}}}';
		assert.deepEqual(parseTranscriptLine(tokens), {kind: 'skipped', reason: 'bad usage'});
	});

	test('a costUSD that is not a plausible number is left out; <synthetic> has no model', () => {
		assert.equal(usageOf(line({costUSD: 'free'})).costUSD, null);
		assert.equal(usageOf(line({costUSD: -1})).costUSD, null);
		assert.equal(usageOf(line({costUSD: 1e300})).costUSD, null);
		assert.equal(usageOf(line({}, {}, {model: '<synthetic>'})).model, null);
	});
});

describe('TranscriptUsageDeduper (ccusage rules while lines stream in)', () => {
	const u = (
		messageId: string,
		requestId: string | null,
		output: number,
		extra: Partial<TranscriptUsage> = {},
	): TranscriptUsage => ({
		...usageOf(line({requestId: requestId ?? undefined}, {output_tokens: output}, {id: messageId})),
		...extra,
	});

	test('split copies of one response are reported once, with the largest total, when the next response starts', () => {
		const d = new TranscriptUsageDeduper();
		assert.deepEqual(d.offer('f', u('m1', 'r1', 1), 0), []);
		assert.deepEqual(d.offer('f', u('m1', 'r1', 40), 1), []);
		assert.deepEqual(d.offer('f', u('m1', 'r1', 12), 2), []);
		const out = d.offer('f', u('m2', 'r2', 3), 3);
		assert.equal(out.length, 1);
		assert.equal(out[0].usage.outputTokens, 40);
		assert.equal(out[0].revision, 1);
		assert.equal(out[0].replaces, null);
		assert.equal(d.counts.duplicates, 1);
	});

	test('a held response is reported once no copy has come for settleMs; flush reports at once', () => {
		const d = new TranscriptUsageDeduper();
		d.offer('f', u('m1', 'r1', 5), 1000);
		assert.deepEqual(d.due(1500, 1000), []);
		assert.equal(d.due(2000, 1000).length, 1);
		d.offer('g', u('m2', 'r2', 5), 3000);
		assert.equal(d.flush('g').length, 1);
		assert.equal(d.holding, 0);
	});

	test('a fuller copy after the report is a second revision that names the first; an equal or smaller one is a duplicate', () => {
		const d = new TranscriptUsageDeduper();
		d.offer('f', u('m1', 'r1', 5), 0);
		assert.equal(d.flush('f').length, 1);
		d.offer('f', u('m1', 'r1', 5), 1);
		assert.deepEqual(d.flush('f'), []);
		d.offer('f', u('m1', 'r1', 9), 2);
		const [again] = d.flush('f');
		assert.equal(again.revision, 2);
		assert.deepEqual(again.replaces, {messageId: 'm1', requestId: 'r1', revision: 1});
		assert.deepEqual(d.counts, {duplicates: 1, sidechainReplays: 0, revisions: 1});
	});

	test('a sidechain replay of a counted message (other requestId) is dropped; distinct sidechain messages count', () => {
		const d = new TranscriptUsageDeduper();
		d.offer('main', u('m1', 'r1', 5), 0);
		assert.equal(d.flush('main').length, 1);
		d.offer('btw', u('m1', 'r-replay', 5, {isSidechain: true}), 1);
		assert.deepEqual(d.flush('btw'), []);
		d.offer('btw', u('m-side', 'r-side', 5, {isSidechain: true}), 2);
		assert.equal(d.flush('btw').length, 1);
		assert.equal(d.counts.sidechainReplays, 1);
	});

	test('a parent line after its sidechain copy replaces it (parent over sidechain)', () => {
		const d = new TranscriptUsageDeduper();
		d.offer('btw', u('m1', 'r-replay', 5, {isSidechain: true}), 0);
		assert.equal(d.flush('btw').length, 1);
		d.offer('main', u('m1', 'r1', 5), 1);
		const [parent] = d.flush('main');
		assert.equal(parent.usage.isSidechain, false);
		assert.deepEqual(parent.replaces, {messageId: 'm1', requestId: 'r-replay', revision: 1});
		// The replay's copies that come later are duplicates of the parent now.
		d.offer('btw', u('m1', 'r-replay', 5, {isSidechain: true}), 2);
		assert.deepEqual(d.flush('btw'), []);
	});

	test('two messages with the same id and different requestIds, neither a sidechain, are two requests (as in ccusage)', () => {
		const d = new TranscriptUsageDeduper();
		d.offer('f', u('m1', 'r1', 5), 0);
		d.offer('f', u('m1', 'r2', 5), 1);
		assert.equal(d.flush('f').length, 1);
		assert.equal(d.counts.duplicates, 0);
	});

	test('bounded: only the last maxKeys keys are remembered', () => {
		const d = new TranscriptUsageDeduper(2);
		for (const id of ['a', 'b', 'c']) {
			d.offer('f', u(id, id, 1), 0);
			d.flush('f');
		}
		d.offer('f', u('c', 'c', 1), 0);
		assert.deepEqual(d.flush('f'), [], 'c is remembered');
		d.offer('f', u('a', 'a', 1), 0);
		assert.equal(d.flush('f').length, 1, 'a was forgotten');
	});
});

describe('prices', () => {
	const index = new PriceIndex(BUILT_IN_PRICES);
	const tokens = (model: string | null, t: Partial<UsageTokens> = {}): UsageTokens => ({
		model,
		inputTokens: 0,
		outputTokens: 0,
		cacheCreationTokens: 0,
		cacheCreation5mTokens: null,
		cacheCreation1hTokens: null,
		cacheReadTokens: 0,
		costUSD: null,
		speed: null,
		...t,
	});
	const close = (actual: number | null, expected: number) =>
		assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

	test('the table says its date and source, and lists the models Claude Code uses with all five prices', () => {
		assert.match(BUILT_IN_PRICES.date, /^\d{4}-\d{2}-\d{2}$/);
		assert.match(BUILT_IN_PRICES.source, /ccusage@18\.0\.11/);
		for (const id of [
			'claude-3-5-haiku-20241022',
			'claude-3-5-sonnet-20241022',
			'claude-3-7-sonnet-20250219',
			'claude-opus-4-20250514',
			'claude-opus-4-1-20250805',
			'claude-opus-4-5-20251101',
			'claude-sonnet-4-20250514',
			'claude-sonnet-4-5-20250929',
			'claude-haiku-4-5-20251001',
		]) {
			const entry = index.find(id);
			assert.equal(entry?.id, id);
			for (const key of ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const)
				assert.ok(entry[key] > 0, `${id} ${key}`);
			assert.equal(entry.cacheWrite1h, entry.input * 2);
		}
	});

	test('sonnet 4.5: input 3, output 15, cache write 5 m 3.75, 1 h 6, read 0.3 $/MTok', () => {
		// 1000×3 + 500×15 + 2000×3.75 + 1000×6 + 10000×0.3 = 27,000 $/MTok-units → $0.027
		const p = priceOf(
			tokens('claude-sonnet-4-5-20250929', {
				inputTokens: 1000,
				outputTokens: 500,
				cacheCreationTokens: 3000,
				cacheCreation5mTokens: 2000,
				cacheCreation1hTokens: 1000,
				cacheReadTokens: 10000,
			}),
			index,
		);
		assert.equal(p.source, 'priced here');
		close(p.usd, 0.027);
		assert.equal(p.source === 'priced here' && p.tier, 'base');
	});

	test('unsplit cache writes are 5 m writes (opus 4.1: 15 / 75 / 18.75)', () => {
		// 10×15 + 20×75 + 4000×18.75 = 76,650 → $0.07665
		close(
			priceOf(
				tokens('claude-opus-4-1-20250805', {inputTokens: 10, outputTokens: 20, cacheCreationTokens: 4000}),
				index,
			).usd,
			0.07665,
		);
	});

	test('over 200k input tokens, all of the request is priced at the long-context rates; 200k exactly is not', () => {
		// 150,000 + 60,000 read = 210,000 > 200k: 150000×6 + 1000×22.5 + 60000×0.6 = 958,500 → $0.9585
		const long = priceOf(
			tokens('claude-sonnet-4-5', {inputTokens: 150_000, outputTokens: 1000, cacheReadTokens: 60_000}),
			index,
		);
		close(long.usd, 0.9585);
		assert.equal(long.source === 'priced here' && long.tier, 'above 200k');
		// 140,000 + 60,000 = 200,000: 140000×3 + 1000×15 + 60000×0.3 = 453,000 → $0.453
		close(
			priceOf(
				tokens('claude-sonnet-4-5', {inputTokens: 140_000, outputTokens: 1000, cacheReadTokens: 60_000}),
				index,
			).usd,
			0.453,
		);
		// A model without long-context prices keeps its base prices: opus 4.5, 250,000 × 5 = $1.25
		close(priceOf(tokens('claude-opus-4-5', {inputTokens: 250_000}), index).usd, 1.25);
	});

	test("fast mode multiplies by the model's multiplier (opus 4.6: ×6)", () => {
		// (100×5 + 100×25) × 6 = 18,000 → $0.018
		close(
			priceOf(tokens('claude-opus-4-6', {inputTokens: 100, outputTokens: 100, speed: 'fast'}), index).usd,
			0.018,
		);
		close(priceOf(tokens('claude-opus-4-6', {inputTokens: 100, outputTokens: 100}), index).usd, 0.003);
	});

	test("a line's own costUSD wins and says so", () => {
		assert.deepEqual(priceOf(tokens('claude-sonnet-4-5', {inputTokens: 1000, costUSD: 0.5}), index), {
			usd: 0.5,
			source: 'transcript costUSD',
		});
	});

	test('model ids: dated, undated, provider prefixes, Bedrock and Vertex forms, [1m]; unknown → no $, said so', () => {
		const id = (model: string) => index.find(model)?.id;
		assert.equal(id('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('claude-sonnet-4-5'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('Claude-Sonnet-4-5'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('anthropic/claude-sonnet-4-5'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('us.anthropic.claude-opus-4-1-20250805-v1:0'), 'claude-opus-4-1-20250805');
		assert.equal(id('claude-sonnet-4-5@20250929'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('claude-opus-4-7[1m]'), 'claude-opus-4-7-20260416');
		assert.equal(id('sonnet-4-5'), 'claude-sonnet-4-5-20250929');
		assert.equal(id('claude-3-5-sonnet'), 'claude-3-5-sonnet-20241022', 'the newest dated entry');
		assert.equal(
			id('claude-sonnet-4-5-20990101'),
			'claude-sonnet-4-5-20250929',
			'a later snapshot of a known model',
		);
		assert.equal(id('claude-4-opus-20250514'), 'claude-opus-4-20250514');
		assert.equal(id('claude-sonnet-9'), undefined);
		assert.equal(id('gpt-4o'), undefined);
		assert.equal(id('claude'), undefined);
		assert.deepEqual(priceOf(tokens('claude-sonnet-9', {inputTokens: 1}), index), {
			usd: null,
			source: null,
			reason: 'no price for model claude-sonnet-9',
		});
		assert.deepEqual(priceOf(tokens(null, {inputTokens: 1}), index), {
			usd: null,
			source: null,
			reason: 'no model named',
		});
	});

	test('a user file overrides some prices, adds models, and is taken whole or not at all', () => {
		const parsed = parsePriceFile(
			{
				models: {
					'claude-sonnet-4-5': {input: 4},
					'claude-new-1': {input: 1, output: 2, cacheWrite5m: 1.5, cacheRead: 0.1},
					__proto__x: undefined,
				},
			},
			BUILT_IN_PRICES,
			'2026-07-01',
		);
		assert.equal(parsed.ok, false, 'an entry that is not an object refuses the file');
		const ok = parsePriceFile(
			{
				models: {
					'claude-sonnet-4-5': {input: 4},
					'claude-new-1': {input: 1, output: 2, cacheWrite5m: 1.5, cacheRead: 0.1},
				},
			},
			BUILT_IN_PRICES,
			'2026-07-01',
		);
		assert.ok(ok.ok);
		const user = new PriceIndex(ok.table);
		assert.equal(ok.table.date, '2026-07-01');
		// sonnet 4.5 with input 4 (1 h write 8 now), the rest kept: 1000×4 + 1000×15 + 1000×8 = 27,000 → $0.027
		close(
			priceOf(
				tokens('claude-sonnet-4-5-20250929', {
					inputTokens: 1000,
					outputTokens: 1000,
					cacheCreationTokens: 1000,
					cacheCreation5mTokens: 0,
					cacheCreation1hTokens: 1000,
				}),
				user,
			).usd,
			0.027,
		);
		assert.equal(user.find('claude-sonnet-4-5')?.above200k?.input, 6, 'long-context prices kept');
		// a new model: 1000×1 + 1000×2 + 1000×2 (1 h = 2 × input) = 5,000 → $0.005
		close(
			priceOf(
				tokens('claude-new-1', {
					inputTokens: 1000,
					outputTokens: 1000,
					cacheCreationTokens: 1000,
					cacheCreation5mTokens: 0,
					cacheCreation1hTokens: 1000,
				}),
				user,
			).usd,
			0.005,
		);
		for (const bad of [
			null,
			[],
			{models: []},
			{models: {'claude-x': {input: 1}}},
			{models: {'claude-x': {input: -1, output: 1, cacheWrite5m: 1, cacheRead: 1}}},
			{models: {'bad id!': {input: 1}}},
			{models: {'claude-opus-4-6': {fastMultiplier: 0}}},
			JSON.parse('{"models":{"__proto__":{"input":"x"}}}'),
		]) {
			const result = parsePriceFile(bad, BUILT_IN_PRICES, '2026-07-01');
			assert.equal(result.ok, false, JSON.stringify(bad));
		}
		// __proto__ as a model id is an id like any other, in a Map: it changes no prototype.
		const proto = parsePriceFile(
			JSON.parse('{"models":{"__proto__":{"input":1,"output":1,"cacheWrite5m":1,"cacheRead":1}}}'),
			BUILT_IN_PRICES,
			'2026-07-01',
		);
		assert.ok(proto.ok);
		assert.equal(({} as Record<string, unknown>).input, undefined);
	});
});
