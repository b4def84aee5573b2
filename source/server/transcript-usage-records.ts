/**
 * What the transcript follower (transcript-follower.ts) ingests: each usage report a transcript
 * gave becomes a `transcript.usage` record (docs/protocol.md), priced, under an id that is the same
 * for the same request (so a file read again is deduplicated by the pipeline's ids), and is handed
 * to the pipeline; while the journal cannot write the records wait, at most MAX_OUTBOX (the oldest
 * dropped, counted).
 */
import {createHash} from 'node:crypto';
import type {UsageReport} from '../core/usage/transcript-usage.js';
import {priceOf, type PriceIndex} from '../core/usage/prices.js';
import type {IngestResult} from './types.js';
import {groupedCount as count} from '../core/count-format.js';

/** What a record says of the file its usage was read from. */
export interface RecordSource {
	session: string;
	agentId: string | null;
	agentType: string | null;
	cwd: string | null;
}

const MAX_OUTBOX = 10_000;

/** The records not yet taken by the pipeline. */
export class UsageOutbox {
	private readonly waiting: unknown[] = [];

	constructor(
		private readonly prices: PriceIndex,
		private readonly ingest: (values: unknown[]) => IngestResult,
		private readonly log: (line: string) => void,
		/** Where the records taken and those dropped are counted. */
		private readonly counts: {records: number; dropped: number},
	) {}

	get length(): number {
		return this.waiting.length;
	}

	/**
	 * Records of `reports` (each in its file's session, else the one its usage names; none without
	 * a session), handed to the pipeline with those still waiting.
	 */
	add(reports: readonly UsageReport[], fileOf: (stream: string) => RecordSource | undefined): void {
		if (reports.length === 0) return;
		for (const report of reports) {
			const file = fileOf(report.stream);
			const session = file?.session ?? report.usage.sessionId;
			if (session === null) continue;
			this.waiting.push(usageRecord(report, session, file, this.prices));
		}
		this.retry();
	}

	/** Hands the waiting records to the pipeline; kept (bounded) while the journal cannot write. */
	retry(): void {
		if (this.waiting.length === 0) return;
		const result = this.ingest(this.waiting);
		if (result.fault) {
			if (this.waiting.length > MAX_OUTBOX) {
				const extra = this.waiting.length - MAX_OUTBOX;
				this.waiting.splice(0, extra);
				this.counts.dropped += extra;
			}
			return;
		}
		this.counts.records += result.accepted;
		for (const rejected of result.rejected.slice(0, 3))
			this.log(`transcripts: a usage record was refused: ${rejected.error}`);
		this.waiting.length = 0;
	}
}

export function usageRecord(
	report: UsageReport,
	session: string,
	file: RecordSource | undefined,
	prices: PriceIndex,
): Record<string, unknown> {
	const {usage} = report;
	const price = priceOf(usage, prices);
	const cacheWrite = usage.cacheCreationTokens;
	const summary = `${usage.model ?? 'no model'}  ${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out · ${count(usage.cacheReadTokens)} cache read · ${count(cacheWrite)} cache write · ${price.usd === null ? 'no $' : `$${price.usd.toFixed(4)}`}`;
	return {
		id: recordId(session, usage.messageId, usage.requestId, report.revision),
		time: usage.timestamp,
		type: 'transcript.usage',
		session,
		tool: null,
		toolUseId: null,
		agentId: file?.agentId ?? null,
		agentType: file?.agentType ?? null,
		cwd: file?.cwd ?? null,
		summary,
		source: 'transcript',
		payload: {
			requestId: usage.requestId,
			messageId: usage.messageId,
			model: usage.model,
			inputTokens: usage.inputTokens,
			outputTokens: usage.outputTokens,
			cacheCreationTokens: usage.cacheCreationTokens,
			cacheCreation5mTokens: usage.cacheCreation5mTokens,
			cacheCreation1hTokens: usage.cacheCreation1hTokens,
			cacheReadTokens: usage.cacheReadTokens,
			costUSD: price.usd,
			costSource: price.source,
			...(price.usd === null ? {costNote: price.reason} : {}),
			...(price.source === 'priced here'
				? {pricedAs: price.model, priceTier: price.tier, pricesDate: price.tableDate}
				: {}),
			speed: usage.speed,
			isSidechain: usage.isSidechain,
			promptId: usage.promptId,
			sessionId: usage.sessionId,
			revision: report.revision,
			replaces: report.replaces
				? recordId(session, report.replaces.messageId, report.replaces.requestId, report.replaces.revision)
				: null,
			transcriptPath: report.stream,
		},
	};
}

/** The same request in the same session gets the same id, so a file read again is deduplicated by the pipeline's ids. */
export function recordId(
	session: string,
	messageId: string,
	requestId: string | null,
	revision: number,
): string {
	const hash = createHash('sha256')
		.update(`${session}\u0000${messageId}\u0000${requestId ?? ''}`)
		.digest('hex')
		.slice(0, 32);
	return `tx-${hash}-${revision}`;
}
