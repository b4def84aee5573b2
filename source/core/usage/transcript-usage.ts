/**
 * What a Claude Code transcript line tells about an API request's usage, and which lines count,
 * by ccusage's rules (its Claude data loader): an assistant line with `message.usage`; one
 * response is split over several lines that share `message.id` and `requestId`, so the key is
 * (message.id, requestId) and of its copies the one with the largest token total is kept (a tie
 * goes to the one that names its `speed`); a sidechain line (`isSidechain: true`, e.g. a `/btw`
 * side question's log) that replays a message already counted under another requestId is
 * dropped, and a parent line replaces a sidechain copy counted before it. Lines are read as
 * hostile input: any line that is not such a line is skipped with a reason, never thrown on.
 * Pure.
 */
import {exceedsDepth, MAX_JSON_DEPTH} from '../parse-body.js';
import {sourceTime} from '../source-time.js';
import type {UsageTokens} from './prices.js';

export interface TranscriptUsage extends UsageTokens {
	/** `message.id`: with `requestId`, the key of one API response. */
	messageId: string;
	requestId: string | null;
	/** The line's own `sessionId` (a subagent's lines carry the parent's). */
	sessionId: string | null;
	/** The line's `timestamp`, as a canonical ISO time. */
	timestamp: string;
	isSidechain: boolean;
	/** The line's `promptId`, when it has one (the transcript shapes known today have none). */
	promptId: string | null;
}

export type SkipReason =
	| 'not JSON'
	| 'not an object'
	| 'too deep'
	| 'bad usage'
	| 'bad field'
	| 'no timestamp'
	| 'no message id'
	| 'api error message';

export type LineResult =
	{kind: 'usage'; usage: TranscriptUsage} | {kind: 'other'} | {kind: 'skipped'; reason: SkipReason};

/** Ids, models and such are short; anything longer is not a transcript's. */
const MAX_ID_LENGTH = 256;
/** More tokens than this in one request is not a real count. */
const MAX_TOKENS = 1e12;
/** A request's cost above this is not a real one. */
const MAX_COST_USD = 1e6;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a key such as `__proto__` or `constructor` in the line is data, never looked up through a prototype. */
function own(obj: Obj, key: string): unknown {
	return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

class Bad extends Error {
	constructor(readonly reason: SkipReason) {
		super(reason);
	}
}

function tokens(usage: Obj, key: string, required: boolean): number {
	const v = own(usage, key);
	if (v === undefined || v === null) {
		if (required) throw new Bad('bad usage');
		return 0;
	}
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_TOKENS)
		throw new Bad('bad usage');
	return v;
}

function optionalTokens(obj: Obj, key: string): number | null {
	const v = own(obj, key);
	if (v === undefined || v === null) return null;
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_TOKENS)
		throw new Bad('bad usage');
	return v;
}

/** A string field (null when absent); one that is not a short non-empty string makes the line bad. */
function shortString(obj: Obj, key: string): string | null {
	const v = own(obj, key);
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ID_LENGTH) throw new Bad('bad field');
	return v;
}

function lenientString(v: unknown): string | null {
	return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : null;
}

/**
 * One transcript line (its text, without the newline). `{kind:'other'}` for a JSON object that
 * carries no usage (user lines, summaries, tool results…); `{kind:'skipped'}` with the reason for
 * anything else.
 */
export function parseTranscriptLine(text: string): LineResult {
	if (exceedsDepth(text, MAX_JSON_DEPTH)) return {kind: 'skipped', reason: 'too deep'};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return {kind: 'skipped', reason: 'not JSON'};
	}
	if (!isObj(value)) return {kind: 'skipped', reason: 'not an object'};
	const message = own(value, 'message');
	if (!isObj(message)) return {kind: 'other'};
	const usage = own(message, 'usage');
	if (usage === undefined || usage === null) return {kind: 'other'};
	try {
		return {kind: 'usage', usage: readUsage(value, message, usage)};
	} catch (error) {
		if (error instanceof Bad) return {kind: 'skipped', reason: error.reason};
		throw error;
	}
}

function readUsage(line: Obj, message: Obj, usage: unknown): TranscriptUsage {
	if (!isObj(usage)) throw new Bad('bad usage');
	if (own(line, 'isApiErrorMessage') === true) throw new Bad('api error message');
	const timestamp = sourceTime(own(line, 'timestamp'));
	if (timestamp === null) throw new Bad('no timestamp');
	const messageId = shortString(message, 'id');
	if (messageId === null) throw new Bad('no message id');
	let model = shortString(message, 'model');
	// Claude Code's stand-in for a response that never came (errors): no model to price.
	if (model === '<synthetic>') model = null;
	const split = own(usage, 'cache_creation');
	let cacheCreation5mTokens: number | null = null;
	let cacheCreation1hTokens: number | null = null;
	if (split !== undefined && split !== null) {
		if (!isObj(split)) throw new Bad('bad usage');
		cacheCreation5mTokens = optionalTokens(split, 'ephemeral_5m_input_tokens');
		cacheCreation1hTokens = optionalTokens(split, 'ephemeral_1h_input_tokens');
	}
	const cost = own(line, 'costUSD');
	const speed = own(usage, 'speed');
	const sidechain = own(line, 'isSidechain');
	return {
		messageId,
		requestId: shortString(line, 'requestId'),
		sessionId: shortString(line, 'sessionId'),
		timestamp,
		model,
		inputTokens: tokens(usage, 'input_tokens', true),
		outputTokens: tokens(usage, 'output_tokens', true),
		cacheCreationTokens: tokens(usage, 'cache_creation_input_tokens', false),
		cacheCreation5mTokens,
		cacheCreation1hTokens,
		cacheReadTokens: tokens(usage, 'cache_read_input_tokens', false),
		// A cost that is not a plausible number is left out (the request is then priced here).
		costUSD:
			typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 && cost <= MAX_COST_USD ? cost : null,
		speed: typeof speed === 'string' && speed.length > 0 && speed.length <= 32 ? speed : null,
		isSidechain: sidechain === true,
		promptId: lenientString(own(line, 'promptId')),
	};
}

/** All tokens of a request: ccusage's measure of which copy of a response is the fullest. */
export function totalTokens(usage: UsageTokens): number {
	return usage.inputTokens + usage.outputTokens + usage.cacheCreationTokens + usage.cacheReadTokens;
}

/** One usage to report, and which earlier report it stands for (the same request, fuller; or a parent's line for a sidechain copy). */
export interface UsageReport {
	usage: TranscriptUsage;
	/** The stream (file) the usage was read from. */
	stream: string;
	/** 1 for a request's first report, n + 1 for one that replaces report n of the same key. */
	revision: number;
	/** The key and revision of the report this one replaces, when it replaces one. */
	replaces: {messageId: string; requestId: string | null; revision: number} | null;
}

interface Reported {
	messageId: string;
	requestId: string | null;
	revision: number;
	total: number;
	sidechain: boolean;
	speed: boolean;
}

interface Pending {
	usage: TranscriptUsage;
	/** When the last copy of this response was seen (the caller's clock). */
	seen: number;
}

export interface DedupeCounts {
	/** Copies of a response already reported with as many tokens (split lines, re-reads). */
	duplicates: number;
	/** Sidechain copies of a message already reported. */
	sidechainReplays: number;
	/** Reports that replace an earlier one (a fuller copy came after it was reported). */
	revisions: number;
}

function keyOf(messageId: string, requestId: string | null): string {
	return `${messageId}\u0000${requestId ?? ''}`;
}

/** ccusage's choice between two copies of one message: parent over sidechain, then more tokens, then the one with `speed`. */
function fuller(candidate: TranscriptUsage, existing: Reported): boolean {
	if (candidate.isSidechain !== existing.sidechain) return existing.sidechain;
	const total = totalTokens(candidate);
	if (total !== existing.total) return total > existing.total;
	return candidate.speed !== null && !existing.speed;
}

/**
 * The usage of one session's transcripts (its own and its subagents'), deduplicated as they are
 * read. A response's copies come one after another in its file: each file (`stream`) holds the
 * response it is reading until a line of another response comes, or until no copy has come for
 * `settleMs` (`due`), and then reports it. A copy fuller than one already reported (rare: it
 * came after the settle time) is reported again as the next revision. Bounded: the keys of the
 * last `maxKeys` reports are remembered; a copy of an older one is reported as new.
 */
export class TranscriptUsageDeduper {
	private readonly byKey = new Map<string, Reported>();
	private readonly byMessage = new Map<string, Reported>();
	private readonly pending = new Map<string, Pending>();
	readonly counts: DedupeCounts = {duplicates: 0, sidechainReplays: 0, revisions: 0};

	constructor(private readonly maxKeys = 4096) {}

	/** A usage line read from `stream` at `now`; returns the reports it lets out (the stream's previous response). */
	offer(stream: string, usage: TranscriptUsage, now: number): UsageReport[] {
		const held = this.pending.get(stream);
		if (held && held.usage.messageId === usage.messageId && held.usage.requestId === usage.requestId) {
			const existing: Reported = {
				messageId: '',
				requestId: null,
				revision: 0,
				total: totalTokens(held.usage),
				sidechain: held.usage.isSidechain,
				speed: held.usage.speed !== null,
			};
			if (fuller(usage, existing)) held.usage = usage;
			else this.counts.duplicates++;
			held.seen = now;
			return [];
		}
		const out = held ? this.report(held.usage, stream) : [];
		this.pending.set(stream, {usage, seen: now});
		return out;
	}

	/** Reports of every stream whose response has had no copy for `settleMs`. */
	due(now: number, settleMs: number): UsageReport[] {
		const out: UsageReport[] = [];
		for (const [stream, held] of this.pending) {
			if (now - held.seen < settleMs) continue;
			this.pending.delete(stream);
			out.push(...this.report(held.usage, stream));
		}
		return out;
	}

	/** Reports what `stream` holds (its file is closed or gone). */
	flush(stream: string): UsageReport[] {
		const held = this.pending.get(stream);
		if (!held) return [];
		this.pending.delete(stream);
		return this.report(held.usage, stream);
	}

	/** Streams holding a response not yet reported. */
	get holding(): number {
		return this.pending.size;
	}

	private report(usage: TranscriptUsage, stream: string): UsageReport[] {
		const key = keyOf(usage.messageId, usage.requestId);
		const same = this.byKey.get(key);
		if (same) {
			if (!fuller(usage, same)) {
				this.counts.duplicates++;
				return [];
			}
			this.counts.revisions++;
			return [this.remember(usage, stream, key, same.revision + 1, same)];
		}
		// The same message under another requestId: a sidechain replay when either copy is a sidechain's.
		const other = this.byMessage.get(usage.messageId);
		if (other && (usage.isSidechain || other.sidechain)) {
			if (!fuller(usage, other)) {
				this.counts.sidechainReplays++;
				return [];
			}
			this.counts.revisions++;
			return [this.remember(usage, stream, key, 1, other)];
		}
		return [this.remember(usage, stream, key, 1, null)];
	}

	private remember(
		usage: TranscriptUsage,
		stream: string,
		key: string,
		revision: number,
		replaces: Reported | null,
	): UsageReport {
		const entry: Reported = {
			messageId: usage.messageId,
			requestId: usage.requestId,
			revision,
			total: totalTokens(usage),
			sidechain: usage.isSidechain,
			speed: usage.speed !== null,
		};
		// Re-inserted so that the oldest key is the first one in the map.
		this.byKey.delete(key);
		this.byKey.set(key, entry);
		this.byMessage.delete(usage.messageId);
		this.byMessage.set(usage.messageId, entry);
		if (replaces) {
			const old = keyOf(replaces.messageId, replaces.requestId);
			// The replaced copy under another key is the same response: its key now means this report.
			if (old !== key) this.byKey.set(old, entry);
		}
		while (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
		while (this.byMessage.size > this.maxKeys) this.byMessage.delete(this.byMessage.keys().next().value!);
		return {
			usage,
			stream,
			revision,
			replaces: replaces
				? {messageId: replaces.messageId, requestId: replaces.requestId, revision: replaces.revision}
				: null,
		};
	}
}
