/**
 * Shapes that cross the wire between the server and its clients (types only): the `GET /health`
 * answer, the Socket.IO `hello` a client gets on connect, the `status` / `GET /stats` figures, the
 * `GET /api/usage` / Socket.IO `usage` answer, and the Socket.IO events each way with their acks
 * (`ClientToServerEvents`, `ServerToClientEvents`: socket.io's `Server<…>` / `Socket<…>`
 * generics). They live in core so that both `source/server` and `source/client` can use them.
 *
 * The types say what a well-behaved peer sends; whoever receives still checks it (a server checks
 * a client's arguments, a client checks records with core/record-check).
 */
import type {MpmBody, MpmCategory} from './claude-mpm.js';
import type {EventRecord} from './record.js';
import type {UsageTotalsSnapshot} from './usage/usage-types.js';

export type {HookHealth, SessionUsageTotals, UsageTotals, UsageTotalsSnapshot} from './usage/usage-types.js';

/**
 * `GET /api/usage`, and the ack of the Socket.IO request `usage` (client → server, no arguments
 * or `{}`): per-session totals at the time of the request (docs/protocol.md, "GET /api/usage").
 */
export type UsageAnswer = UsageTotalsSnapshot;

/** The Socket.IO request with an ack that answers a UsageAnswer (or `{error}`). */
export const USAGE_REQUEST = 'usage';

/** An ack that refuses a request (bad arguments, nothing to answer with, an internal error). */
export interface ErrorAnswer {
	error: string;
}

/** The `history` request's arguments (docs/protocol.md, "Socket.IO"): records after `since`, at most `limit`. */
export interface HistoryRequest {
	since?: number;
	limit?: number;
}

/** The `history` ack: the page's records, where to go on, and whether there is more. */
export interface HistoryAnswer {
	events: EventRecord[];
	lastSeq: number;
	next: number;
	/** True when the server cut the page (by bytes or count) and has more events after the last one. */
	more: boolean;
}

export type HistoryAck = (answer: HistoryAnswer | ErrorAnswer) => void;
export type UsageAck = (answer: UsageAnswer | ErrorAnswer) => void;

/** One item of a request that was not taken, and why. */
export interface RejectedItem {
	/** Position of the item in the request (0-based; for NDJSON the line's index among non-empty lines). */
	index: number;
	error: string;
}

/** The ack of Socket.IO `claude_event` / `emit`: what was taken of the event. */
export interface IngestAnswer {
	accepted: number;
	duplicates: number;
	lastSeq: number;
	rejected: RejectedItem[];
	/** Set when the whole body was refused (nothing in it could be read). */
	error?: string;
	/**
	 * Set when the events could not be stored (the journal could not write them: disk full, I/O
	 * error). Then nothing of this call was accepted — no seq given, nothing remembered for
	 * duplicate checks, nothing broadcast — and the same events can be sent again later. HTTP
	 * answers 507 (no space) or 503; the spool drain stops and keeps the rest of its file.
	 */
	fault?: {code: string; message: string};
}

export type IngestAck = (answer: IngestAnswer) => void;

/**
 * Why the server's namespace check refused a Socket.IO connect: the `data` of the client's
 * `connect_error` (its `message` says the same in words, for people). `unauthorized`: missing or
 * wrong token (trying again will not help); `too-many-connections`: the connection limit is
 * reached (trying again later may).
 */
export type ConnectRefusalCode = 'unauthorized' | 'too-many-connections';

export interface ConnectRefusalData {
	code: ConnectRefusalCode;
}

/** claude-mpm's heartbeat (`heartbeat` on `/system`, `system.heartbeat` to its clients on `/`). */
export interface HeartbeatBody {
	type: 'system.heartbeat';
	data: {clients: number};
	timestamp: string;
}

/**
 * What a client sends: `history` and `usage` (acked), an event to ingest under `claude_event` or
 * `emit` (acked when the sender asks), and `get_status` on `/system`.
 */
export interface ClientToServerEvents {
	history: (request: HistoryRequest, ack: HistoryAck) => void;
	usage: (ack: UsageAck) => void;
	claude_event: (event: unknown, ack: IngestAck) => void;
	emit: (event: unknown, ack: IngestAck) => void;
	get_status: () => void;
}

/** claude-mpm's category events on `/`, one body each (core/claude-mpm.ts `toMpmEmit`). */
export type ClaudeMpmCategoryEvents = {[Category in MpmCategory]: (body: MpmBody) => void};

/**
 * What the server sends: to an mpm-tui client `hello` on connect, `events` in batches and `status`
 * every second; to a claude-mpm client each event under its category, and the heartbeat.
 */
export type ServerToClientEvents = ClaudeMpmCategoryEvents & {
	hello: (hello: HelloInfo) => void;
	events: (records: EventRecord[]) => void;
	status: (stats: ServerStats) => void;
	heartbeat: (body: HeartbeatBody) => void;
	'system.heartbeat': (body: HeartbeatBody) => void;
};

/**
 * claude-mpm's category namespaces (`/hook`, `/session`, …): an event there is named by the
 * hook's subtype, which comes from the event itself, so any name.
 */
export type CategoryNamespaceEvents = Record<string, (body: MpmBody) => void>;

/** `GET /health` of an mpm-tui server. */
export interface HealthInfo {
	/** `degraded` while something needs the user (the journal cannot write, say): see `problems`. */
	status: 'ok' | 'degraded';
	service: 'mpm-tui';
	version: string;
	pid: number;
	uptime: number;
	port: number;
	/** What is wrong, one line each, while `status` is `degraded`. */
	problems?: string[];
}

/** Socket.IO `hello`, sent to an mpm-tui client on connect. */
export interface HelloInfo {
	service: 'mpm-tui';
	version: string;
	lastSeq: number;
	firstSeq: number;
	serverTime: string;
}

/** Socket.IO `status` and `GET /stats`. */
/**
 * A team instance (docs/team.md): `redis` (password shown as `***`), `connected`, this journal's
 * `instance` name, `shipped` (the highest journal seq shipped) and `backlog` (journal events not yet shipped), `lastSeq` (the highest team seq
 * in this instance's history), `seen` (the floor it gives the team counter), counts of events
 * shipped and read, ship calls, `invalid` stream entries or journal lines skipped, `outages` of
 * Redis, and `error` (why Redis is away).
 */
export interface TeamStats {
	redis: string;
	connected: boolean;
	instance: string;
	shipped: number;
	/** Journal events not shipped yet (kept in the journal, not in memory). */
	backlog: number;
	lastSeq: number;
	seen: number;
	shippedEvents: number;
	shipCalls: number;
	readEvents: number;
	invalid: number;
	outages: number;
	error?: string;
}

export interface ServerStats {
	events: {total: number; ratePerMinute: number; lastSeq: number; firstSeq: number};
	/** The history: records held and their bytes, against the bounds (`--history`, `--history-bytes`). */
	buffer: {used: number; capacity: number; bytes: number; maxBytes: number};
	duplicates: number;
	rejected: number;
	/** Requests refused because the journal could not write (sent again later by their senders). */
	refused: number;
	/** Admitted Socket.IO connections by kind; `waiting`: bare handshakes not (yet) admitted, which take no place under the limit. */
	clients: {mpmTui: number; claudeMpm: number; total: number; waiting: number};
	/** Request bodies being received right now, against the shared budget; `evicted`: stalled ones refused to stay within it. */
	bodies: {bytesInFlight: number; inFlight: number; limitBytes: number; evicted: number};
	journal: {
		path: string | null;
		bytes: number;
		replayed: number;
		skipped: number;
		error?: string;
		rotationError?: string;
		/** While `<journal>.seq` cannot be opened or written. */
		highWaterError?: string;
	};
	/** `setAside`: spooled lines that could not be delivered, kept with their reasons in `setAsideFile`; `stopped`: why the drain is waiting (the journal cannot write). */
	spool: {
		path: string;
		backlogBytes: number;
		drained: number;
		droppedByForwarder: number;
		setAside: number;
		setAsideFile?: string;
		stopped?: string;
	};
	/** `--server-only`: event lines left out of stdout because its reader was too slow. */
	stdout: {dropped: number};
	/**
	 * Forwarder events held until the events they name in `X-Mpm-After` were settled (cause before
	 * effect): `held` so far, `timedOut` (released because the hold ran out), `overflow` (not held:
	 * too many held already), `waiting` now, `longestMs`. Absent from servers older than this field.
	 */
	order?: {held: number; timedOut: number; overflow: number; waiting: number; longestMs: number};
	/**
	 * `events` packets sent to mpm-tui clients so far; `preEncodedFrames`: whether they are made
	 * from the NDJSON bytes (false: engine.io failed the start-up check and socket.io encodes them).
	 * Absent from servers older than this field.
	 */
	broadcast?: {packets: number; preEncodedFrames: boolean};
	/** The OTLP receiver (`/v1/logs`, `/v1/metrics`, `/v1/traces`). Absent from servers older than this field. */
	otel?: OtelStats;
	/**
	 * The transcript follower (docs/usage.md, "Transcripts"): files followed and waiting to appear,
	 * records made, bytes and lines read, lines skipped (by reason; `overCap`: over the line size
	 * cap), duplicates and sidechain replays dropped, truncations, rotations, vanished files,
	 * refused paths, records dropped. Absent when transcripts are off, and from older servers.
	 */
	transcripts?: TranscriptStats;
	/** Team mode (`--redis`, docs/team.md). Absent without `--redis`. */
	team?: TeamStats;
	/** The same lines as /health's `problems` (empty when all is well). */
	problems: string[];
	uptime: number;
	pid: number;
	version: string;
}

/**
 * The OTLP receiver's counters: log records taken, refused, dropped as duplicates, and identity
 * attributes dropped; metric data points folded, ignored (gauges, histograms), taken as a
 * cumulative baseline only, refused, `otel.metrics` records written, cumulative series
 * remembered; trace spans accepted and ignored.
 */
export interface OtelStats {
	logs: {requests: number; records: number; rejected: number; duplicates: number; identityDropped: number};
	metrics: {
		requests: number;
		points: number;
		ignored: number;
		baseline: number;
		rejected: number;
		records: number;
		series: number;
	};
	traces: {requests: number; spansIgnored: number};
}

/** What the transcript follower has done (the status's `transcripts`). */
export interface TranscriptStats {
	/** Files followed now, and those waiting to appear. */
	files: number;
	waiting: number;
	/** Records made (one per API request; `revisions` of them replace an earlier one). */
	records: number;
	revisions: number;
	/** Bytes read and lines seen. */
	bytes: number;
	lines: number;
	/** Lines skipped: unreadable or unknown usage lines by reason, and lines over the size cap. */
	skipped: Record<string, number>;
	overCap: number;
	duplicates: number;
	sidechainReplays: number;
	truncated: number;
	rotated: number;
	vanished: number;
	/** Paths named by events that the rule refused (not a .jsonl, a link, not ours, outside the roots…). */
	refused: number;
	/** Records not stored because the journal could not write for too long. */
	dropped: number;
}
