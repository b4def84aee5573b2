/**
 * Model prices and what one API request cost. `priceOf` takes the request's own `costUSD` when
 * Claude Code wrote one, else prices its tokens from a table (prices-data.ts, or a user's file
 * read over it by `parsePriceFile`). Pure: no I/O; the server reads the user's file.
 *
 * Model ids are matched by these rules, in order (no fuzzy matching: a wrong price is worse than
 * none): the id as given, lower-cased; then without a provider prefix (`anthropic/`,
 * `anthropic.`, `us.anthropic.` and the like), a Bedrock version suffix (`-v1:0`), a Vertex date
 * form (`@20250929` → `-20250929`) or a context-window suffix (`[1m]`); then with `claude-` put in
 * front when it is missing; then, for a dated id the table does not list, the same model without
 * its date (`-YYYYMMDD`), which takes the newest dated entry of that model. An id none of these
 * finds has no price ("no price for model …").
 */

/** US dollars per million tokens. */
export interface TokenPrices {
	input: number;
	output: number;
	/** Writing the prompt cache for 5 minutes (the default). */
	cacheWrite5m: number;
	/** Writing the prompt cache for 1 hour. */
	cacheWrite1h: number;
	cacheRead: number;
}

export interface ModelPrice extends TokenPrices {
	id: string;
	/** Other ids the source lists with the same prices. */
	aliases?: string[];
	/** Prices for a request whose input (input + cache write + cache read) is over 200,000 tokens, where the model has them. */
	above200k?: TokenPrices;
	/** Fast mode (`usage.speed: "fast"`) costs this many times the price. */
	fastMultiplier?: number;
	/** The source's entry the row was taken from. */
	from?: string;
}

export interface PriceTable {
	/** When the numbers were taken (YYYY-MM-DD). */
	date: string;
	source: string;
	models: ModelPrice[];
}

/** The tokens of one API request, as a transcript line or a telemetry event tells them. */
export interface UsageTokens {
	model: string | null;
	inputTokens: number;
	outputTokens: number;
	/** All cache-write tokens (`cache_creation_input_tokens`). */
	cacheCreationTokens: number;
	/** The 5-minute and 1-hour parts of the cache writes, when the line splits them. */
	cacheCreation5mTokens: number | null;
	cacheCreation1hTokens: number | null;
	cacheReadTokens: number;
	/** Claude Code's own cost for the request, when the line has one. */
	costUSD: number | null;
	speed: string | null;
}

export type PriceSource = 'transcript costUSD' | 'priced here';

export type Price =
	| {usd: number; source: 'transcript costUSD'}
	| {usd: number; source: 'priced here'; model: string; tier: 'base' | 'above 200k'; tableDate: string}
	| {usd: null; source: null; reason: string};

/** Above this many input tokens in one request, a model's long-context prices apply. */
export const LONG_CONTEXT_THRESHOLD = 200_000;

const PROVIDER_PREFIX = /^(?:[a-z]{2,4}\.)?anthropic[./]/;
const BEDROCK_SUFFIX = /-v\d+(?::\d+)?$/;
const VERTEX_DATE = /@(\d{8})$/;
const CONTEXT_SUFFIX = /\[[0-9a-z]+\]$/;
const DATE_SUFFIX = /-(\d{8})$/;

/** A lookup made once per table: exact ids and aliases, and each undated model's newest dated entry. */
export class PriceIndex {
	private readonly exact = new Map<string, ModelPrice>();
	private readonly undated = new Map<string, {price: ModelPrice; date: string}>();

	constructor(readonly table: PriceTable) {
		for (const model of table.models) {
			for (const id of [model.id, ...(model.aliases ?? [])]) {
				const key = id.toLowerCase();
				// The first entry for an id wins (a user's file comes first).
				if (this.exact.has(key)) continue;
				this.exact.set(key, model);
				const dated = DATE_SUFFIX.exec(key);
				if (dated) {
					const base = key.slice(0, dated.index);
					const known = this.undated.get(base);
					if (!known || known.date < dated[1]) this.undated.set(base, {price: model, date: dated[1]});
				}
			}
		}
	}

	/** The table's entry for a model id, by the rules above; undefined when none. */
	find(model: string): ModelPrice | undefined {
		if (model.length === 0 || model.length > 200) return undefined;
		const given = model.trim().toLowerCase();
		const direct = this.exact.get(given);
		if (direct) return direct;
		let id = given
			.replace(PROVIDER_PREFIX, '')
			.replace(CONTEXT_SUFFIX, '')
			.replace(BEDROCK_SUFFIX, '')
			.replace(VERTEX_DATE, '-$1');
		if (!id.startsWith('claude-')) id = `claude-${id}`;
		const found = this.exact.get(id);
		if (found) return found;
		const dated = DATE_SUFFIX.exec(id);
		const base = dated ? id.slice(0, dated.index) : id;
		return this.exact.get(base) ?? this.undated.get(base)?.price;
	}
}

/**
 * What one request cost: its `costUSD` when it has one (Claude Code's own figure), else its
 * tokens × the table's prices. Cache writes split into 5 m and 1 h are priced each at its own
 * rate; unsplit, they are priced as 5 m writes (as ccusage does). When the request's input
 * (input + cache writes + cache reads) is over 200,000 tokens and the model has long-context
 * prices, all its tokens are priced at those (Anthropic's rule; ccusage instead prices only the
 * tokens of each kind beyond 200,000 higher). Fast mode multiplies by the model's multiplier.
 */
export function priceOf(usage: UsageTokens, index: PriceIndex): Price {
	if (usage.costUSD !== null) return {usd: usage.costUSD, source: 'transcript costUSD'};
	if (usage.model === null) return {usd: null, source: null, reason: 'no model named'};
	const entry = index.find(usage.model);
	if (!entry) return {usd: null, source: null, reason: `no price for model ${usage.model.slice(0, 100)}`};
	const inputTotal = usage.inputTokens + usage.cacheCreationTokens + usage.cacheReadTokens;
	const long = entry.above200k !== undefined && inputTotal > LONG_CONTEXT_THRESHOLD;
	const rates = long ? entry.above200k! : entry;
	const split = usage.cacheCreation5mTokens !== null || usage.cacheCreation1hTokens !== null;
	const write5m = split ? (usage.cacheCreation5mTokens ?? 0) : usage.cacheCreationTokens;
	const write1h = split ? (usage.cacheCreation1hTokens ?? 0) : 0;
	const perMillion =
		usage.inputTokens * rates.input +
		usage.outputTokens * rates.output +
		write5m * rates.cacheWrite5m +
		write1h * rates.cacheWrite1h +
		usage.cacheReadTokens * rates.cacheRead;
	const fast = usage.speed === 'fast' ? (entry.fastMultiplier ?? 1) : 1;
	return {
		usd: (perMillion / 1_000_000) * fast,
		source: 'priced here',
		model: entry.id,
		tier: long ? 'above 200k' : 'base',
		tableDate: index.table.date,
	};
}

const PRICE_KEYS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
/** Dollars per million tokens above this are taken for a mistake. */
const MAX_PRICE = 1_000_000;
const MAX_MODELS = 1000;
const MODEL_ID = /^[A-Za-z0-9._:@/[\]-]{1,200}$/;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPrices(value: unknown, where: string, base: TokenPrices | undefined): TokenPrices | string {
	if (!isObject(value)) return `${where} must be an object of prices`;
	const out: Partial<Record<(typeof PRICE_KEYS)[number], number>> = {};
	for (const key of PRICE_KEYS) {
		const v = Object.hasOwn(value, key) ? value[key] : undefined;
		if (v === undefined) {
			// A 1-hour write is twice the input price (Anthropic's rule) when the input price is given
			// here or the model is new; other prices left out keep the table's.
			if (key === 'cacheWrite1h' && (Object.hasOwn(value, 'input') || !base)) out[key] = out.input! * 2;
			else if (base) out[key] = base[key];
			else return `${where}.${key} is missing`;
			continue;
		}
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_PRICE)
			return `${where}.${key} must be a number of dollars per million tokens from 0 to ${MAX_PRICE}`;
		out[key] = v;
	}
	return out as TokenPrices;
}

/**
 * A user's price file over a table: `{"models": {"<model id>": {"input": 3, "output": 15,
 * "cacheWrite5m": 3.75, "cacheWrite1h": 6, "cacheRead": 0.3, "above200k": {…}?,
 * "fastMultiplier": 6?}}}` in dollars per million tokens. A model the table has keeps its other
 * prices for keys the file leaves out; a new model needs input, output, cacheWrite5m and
 * cacheRead (cacheWrite1h defaults to 2 × input). Whole or nothing: any fault → the reason,
 * and the caller keeps the table it had.
 */
export function parsePriceFile(
	value: unknown,
	table: PriceTable,
	fileDate: string,
): {ok: true; table: PriceTable} | {ok: false; error: string} {
	if (!isObject(value)) return {ok: false, error: 'the file must hold a JSON object with "models"'};
	const models = Object.hasOwn(value, 'models') ? value.models : undefined;
	if (!isObject(models)) return {ok: false, error: '"models" must be an object of model id → prices'};
	const ids = Object.keys(models);
	if (ids.length > MAX_MODELS) return {ok: false, error: `at most ${MAX_MODELS} models`};
	const replaced = new Map<string, ModelPrice>();
	for (const id of ids) {
		const where = `models[${JSON.stringify(id.slice(0, 100))}]`;
		if (!MODEL_ID.test(id))
			return {ok: false, error: `${where}: a model id is 1 to 200 letters, digits and . _ : @ / [ ] -`};
		const given = models[id];
		const lower = id.toLowerCase();
		const base = table.models.find(
			(m) => m.id.toLowerCase() === lower || (m.aliases ?? []).some((a) => a.toLowerCase() === lower),
		);
		const prices = readPrices(given, where, base);
		if (typeof prices === 'string') return {ok: false, error: prices};
		// A model the table has is replaced whole, under its id and aliases (and the id the file gave).
		const aliases = base ? [...(base.aliases ?? []), ...(base.id.toLowerCase() === lower ? [] : [id])] : [];
		const entry: ModelPrice = {
			id: base?.id ?? id,
			...(aliases.length > 0 ? {aliases} : {}),
			...prices,
			from: 'user file',
		};
		const over = isObject(given) && Object.hasOwn(given, 'above200k') ? given.above200k : undefined;
		if (over !== undefined && over !== null) {
			const above = readPrices(over, `${where}.above200k`, base?.above200k);
			if (typeof above === 'string') return {ok: false, error: above};
			entry.above200k = above;
		} else if (over === undefined && base?.above200k) entry.above200k = base.above200k;
		const fast = isObject(given) && Object.hasOwn(given, 'fastMultiplier') ? given.fastMultiplier : undefined;
		if (fast !== undefined) {
			if (typeof fast !== 'number' || !Number.isFinite(fast) || fast < 1 || fast > 100)
				return {ok: false, error: `${where}.fastMultiplier must be a number from 1 to 100`};
			entry.fastMultiplier = fast;
		} else if (base?.fastMultiplier !== undefined) entry.fastMultiplier = base.fastMultiplier;
		replaced.set(entry.id.toLowerCase(), entry);
	}
	// The user's entries first, so that their ids win; the table's others after.
	const kept = table.models.filter((m) => !replaced.has(m.id.toLowerCase()));
	return {
		ok: true,
		table: {
			date: fileDate,
			source: `${table.source}, with ${replaced.size} model(s) from the user's price file`,
			models: [...replaced.values(), ...kept],
		},
	};
}
