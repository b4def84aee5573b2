/** What `/api/status` and the Socket.IO `status` say: the server's counters, read at one moment. */
import type {Config} from '../config.js';
import type {RateCounter} from '../core/rate-counter.js';
import {CLAUDE_MPM_ROOM, MPM_TUI_ROOM} from './broadcast.js';
import type {Journal} from './journal.js';
import type {Replay} from './journal-replay.js';
import type {OrderGate} from './ordering.js';
import type {OtlpReceiver} from './otlp-routes.js';
import type {Pipeline} from './pipeline.js';
import type {ServerGuard} from './server-guard.js';
import type {SocketServer} from './sockets.js';
import {spoolBacklog, spoolDropped} from './spool.js';
import type {TranscriptFollower} from './transcript-follower.js';
import type {History} from './history.js';
import type {Team} from './team/team.js';
import type {ServerStats} from './types.js';
import {VERSION} from './version.js';

/** What the spool drain has done so far. */
export interface SpoolCounts {
	drained: number;
	setAside: number;
	stopped: string | null;
}

export interface StatsParts {
	config: Config;
	started: number;
	pipeline: Pipeline;
	rate: RateCounter;
	guard: ServerGuard;
	io: SocketServer | undefined;
	journal: Journal | null;
	replay: Replay;
	spoolState: SpoolCounts;
	order: OrderGate;
	/** Packets sent to mpm-tui clients, and whether they go as pre-encoded frames (events-packet.ts). */
	broadcast: {packets: number; preEncodedFrames: boolean};
	otlp: OtlpReceiver;
	transcripts: TranscriptFollower | null;
	problems: string[];
	stdoutDropped: number;
	/** Team mode: its history (team seqs) stands for the pipeline's. */
	team?: Team | null;
}

export function serverStats(parts: StatsParts): ServerStats {
	const {config, started, pipeline, rate, guard, io, journal, replay, spoolState, order, otlp, transcripts} =
		parts;
	const now = Date.now();
	const mpmTui = io?.sockets.adapter.rooms.get(MPM_TUI_ROOM)?.size ?? 0;
	const claudeMpm = io?.sockets.adapter.rooms.get(CLAUDE_MPM_ROOM)?.size ?? 0;
	const fault = journal?.failure();
	const team = parts.team ?? null;
	const history: History = team?.history ?? pipeline.history;
	return {
		events: {
			total: pipeline.total,
			ratePerMinute: rate.perMinute(now),
			lastSeq: team ? team.lastSeq : pipeline.lastSeq,
			firstSeq: history.firstSeq,
		},
		buffer: {
			used: history.size,
			capacity: config.history,
			bytes: history.bytes,
			maxBytes: config.historyBytes,
		},
		duplicates: pipeline.duplicates,
		rejected: pipeline.rejected,
		refused: pipeline.faults,
		clients: {
			mpmTui,
			claudeMpm,
			total: guard.stats().sockets.admitted,
			waiting: guard.stats().sockets.waiting,
		},
		bodies: guard.stats().bodies,
		journal: {
			path: config.journal,
			bytes: journal?.bytes() ?? 0,
			replayed: replay.records.length,
			skipped: replay.skipped,
			...(fault ? {error: fault.message} : {}),
			...(journal?.rotationFailure() ? {rotationError: journal.rotationFailure()!} : {}),
			...(journal?.highWaterFailure() ? {highWaterError: journal.highWaterFailure()!} : {}),
		},
		spool: {
			path: config.spool,
			backlogBytes: spoolBacklog(config.spool),
			drained: spoolState.drained,
			droppedByForwarder: spoolDropped(config.spool),
			setAside: spoolState.setAside,
			...(spoolState.setAside > 0 ? {setAsideFile: `${config.spool}.rejected`} : {}),
			...(spoolState.stopped ? {stopped: spoolState.stopped} : {}),
		},
		stdout: {dropped: parts.stdoutDropped},
		broadcast: parts.broadcast,
		order: order.stats(),
		otel: otlp.snapshot(),
		...(transcripts ? {transcripts: transcripts.stats()} : {}),
		...(team ? {team: team.stats(pipeline.lastSeq)} : {}),
		problems: parts.problems,
		uptime: Math.round((now - started) / 1000),
		pid: process.pid,
		version: VERSION,
	};
}
