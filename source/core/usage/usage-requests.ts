/**
 * An API request (or api error) as the usage join (usage-view.ts) holds it: what telemetry's
 * `claude_code.api_request` and the transcript's `transcript.usage` each say of it, and the
 * figures the join counts for it (telemetry's where it has them, else the transcript's). Pure.
 */
import type {EventRecord} from '../record.js';
import {PriceIndex, priceOf} from './prices.js';
import type {CostKey, RequestFigures} from './usage-accum.js';
import {
	countOf,
	emptyTokens,
	idOf,
	otelTokens,
	own,
	promptIdOf,
	transcriptTokens,
	usdOf,
} from './usage-fields.js';
import type {TokenTotals} from './usage-types.js';

export interface TelRequest {
	time: number;
	promptId: string | null;
	model: string | null;
	usd: number | null;
	/** The tokens priced here when telemetry gave no cost (or null). */
	priced: number | null;
	apiMs: number;
	tokens: TokenTotals | null;
}

export interface TxRequest {
	time: number;
	revision: number;
	promptId: string | null;
	model: string | null;
	usd: number | null;
	source: CostKey | null;
	tokens: TokenTotals;
	agentId: string | null;
	agentType: string | null;
}

export interface RequestEntry {
	kind: 'request';
	session: string;
	tel: TelRequest | null;
	tx: TxRequest | null;
}

export interface ErrorEntry {
	kind: 'error';
	session: string;
	time: number;
	promptId: string | null;
}

export type Entry = RequestEntry | ErrorEntry;

/** What telemetry's api_request says; tokens without `cost_usd` are priced from `prices`. */
export function telemetryRequest(rec: EventRecord, t: number, prices: PriceIndex): TelRequest {
	const p = rec.payload;
	const tokens = otelTokens(p);
	const model = idOf(own(p, 'model'));
	const usd = usdOf(own(p, 'cost_usd'));
	let priced: number | null = null;
	if (usd === null && tokens !== null && model !== null) {
		const price = priceOf(
			{
				model,
				inputTokens: tokens.input,
				outputTokens: tokens.output,
				cacheCreationTokens: tokens.cacheWrite,
				cacheCreation5mTokens: null,
				cacheCreation1hTokens: null,
				cacheReadTokens: tokens.cacheRead,
				costUSD: null,
				speed: idOf(own(p, 'speed')),
			},
			prices,
		);
		priced = price.usd;
	}
	return {
		time: t,
		promptId: promptIdOf(rec),
		model,
		usd,
		priced,
		apiMs: countOf(own(p, 'duration_ms')) ?? 0,
		tokens,
	};
}

/** Transcript `costSource` → the cost bucket. */
function txSource(value: unknown): CostKey | null {
	if (value === 'transcript costUSD') return 'transcript';
	if (value === 'priced here') return 'pricedHere';
	return null;
}

/** What a `transcript.usage` record says, as its `revision`. */
export function transcriptRequest(rec: EventRecord, t: number, revision: number): TxRequest {
	const p = rec.payload;
	return {
		time: t,
		revision,
		promptId: idOf(own(p, 'promptId')),
		model: idOf(own(p, 'model')),
		usd: usdOf(own(p, 'costUSD')),
		source: txSource(own(p, 'costSource')),
		tokens: transcriptTokens(p),
		agentId: idOf(rec.agentId),
		agentType: idOf(rec.agentType),
	};
}

/** The request key (`r:` request id, else `m:` message id) a transcript record's `replaces` names, or null. */
export function replacedKeyOf(replaces: unknown): string | null {
	if (typeof replaces !== 'object' || replaces === null || Array.isArray(replaces)) return null;
	const r = replaces as Record<string, unknown>;
	const oldRequest = idOf(own(r, 'requestId'));
	const oldMessage = idOf(own(r, 'messageId'));
	return oldRequest === null ? (oldMessage === null ? null : `m:${oldMessage}`) : `r:${oldRequest}`;
}

/** The figures the join counts for a request: telemetry's where it has them, else the transcript's. */
export type JoinedFigures = RequestFigures & {
	time: number;
	promptId: string | null;
	agentId: string | null;
	agentType: string | null;
};

/** A request's figures: telemetry's where it has them, else the transcript's. */
export function requestFigures(entry: RequestEntry): JoinedFigures {
	const {tel, tx} = entry;
	let usd: number | null = null;
	let source: CostKey | null = null;
	if (tel !== null && tel.usd !== null) {
		usd = tel.usd;
		source = 'telemetry';
	} else if (tx !== null && tx.usd !== null && tx.source !== null) {
		usd = tx.usd;
		source = tx.source;
	} else if (tel !== null && tel.priced !== null) {
		usd = tel.priced;
		source = 'pricedHere';
	}
	return {
		time: tel?.time ?? tx?.time ?? 0,
		tokens: tel?.tokens ?? tx?.tokens ?? emptyTokens(),
		usd,
		source,
		apiMs: tel?.apiMs ?? 0,
		model: tel?.model ?? tx?.model ?? null,
		promptId: tel?.promptId ?? tx?.promptId ?? null,
		agentId: tx?.agentId ?? null,
		agentType: tx?.agentType ?? null,
	};
}
