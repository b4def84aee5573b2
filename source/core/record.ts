/**
 * The normalized event record (design §3). It is also the NDJSON line that
 * `--server-only`, `tail`, the journal and exports write, one per line.
 */
export type EventSource =
	'hook' | 'mpm' | 'emit' | 'replay' | 'demo' | 'spool' | 'socket' | 'forward' | 'transcript';

export interface EventRecord {
	/** Assigned by the server: strictly increasing, never reused (also across restarts with a journal). */
	seq: number;
	/** Stable id. The forwarder's stamp (`X-Mpm-Id`) when it has one, else made by the server. Dedupe key for the spool. */
	id: string;
	/**
	 * ISO time the event happened, as its source tells it: the event's own time (a claude-mpm
	 * envelope's `timestamp`, a hook payload's `timestamp`) when it is a valid one, else the
	 * forwarder's stamp (`X-Mpm-Received`, a spool line's `receivedAt`), else the receive time.
	 */
	time: string;
	/**
	 * ISO time the server took the event in (for a record read from before this field existed:
	 * its `time`, which was then the receive time).
	 */
	received: string;
	/** Claude Code `session_id` (subagent events carry the parent's), or null. */
	session: string | null;
	/** Hook event name (`PreToolUse`, `Stop`, …); unknown names kept as they come. */
	type: string;
	tool: string | null;
	toolUseId: string | null;
	agentId: string | null;
	agentType: string | null;
	cwd: string | null;
	/** One line for lists, e.g. `Bash  npm test`, `Read  source/app.tsx`, `prompt  "fix the failing test"`. */
	summary: string;
	source: EventSource | string;
	/** The hook's own JSON (for claude-mpm envelopes: the inner `data`), with over-large fields cut. */
	payload: Record<string, unknown>;
}

/** A record before the server has given it a `seq`. */
export type PendingRecord = Omit<EventRecord, 'seq'>;
