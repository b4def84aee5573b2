/**
 * Starts and stops the mpm-tui server: state-dir lock, journal replay, pipeline, HTTP routes and
 * Socket.IO on one port, spool drain at start and every 2 s, `status` every second and
 * claude-mpm's heartbeat every 30 s. `--server-only` and the TUI (hosting in-process) both go
 * through `startServer`. A start that fails part-way closes what it opened and throws one clear
 * message; nothing is left listening.
 */
import http from 'node:http';
import path from 'node:path';
import type {AddressInfo} from 'node:net';
import {assertSafeBind, type Config} from '../config.js';
import type {EventRecord} from '../core/record.js';
import type {AcceptedBatch} from './accepted-batch.js';
import {Broadcaster, type BroadcastOptions} from './broadcast.js';
import type {Page} from './history.js';
import {createRequestHandler} from './http-routes.js';
import {OrderGate, type OrderGateOptions} from './ordering.js';
import {OtlpReceiver} from './otlp-routes.js';
import type {Journal} from './journal.js';
import {UsageState} from './usage-state.js';
import {Pipeline} from './pipeline.js';
import {RateCounter} from '../core/rate-counter.js';
import {ServerGuard} from './server-guard.js';
import type {ServerLimits} from './server-limits.js';
import {createSocketServer, type SocketServer} from './sockets.js';
import {healthInfo, helloInfo, serverProblems} from './server-health.js';
import {openJournal, replayAtStart} from './server-journal.js';
import {listen, serverUrl} from './server-listen.js';
import {startPeriodicSends} from './server-timers.js';
import {checkSpoolDirectory} from './spool.js';
import {settledAfter, startSpoolDrain} from './spool-drain.js';
import {Cleanup} from './cleanup.js';
import {serverStats} from './server-stats.js';
import {checkPrivateDirectory, StateDirLock} from './state-dir.js';
import {TranscriptFollower, type TranscriptFollowerOptions} from './transcript-follower.js';
import {realRoots} from './transcript-paths.js';
import {loadPriceIndex} from './transcript-prices.js';
import type {Team} from './team/team.js';
import type {IngestResult, MpmServer, ServerStats} from './types.js';

export type {MpmServer, ServerStats, IngestResult, HealthInfo, HelloInfo} from './types.js';
export {PortInUseError} from './server-listen.js';

export interface ServerOptions {
	log?: (line: string) => void;
	/** Called once per accepted batch; its serialized forms are made once and shared with the journal and the broadcast. */
	onAccepted?: (batch: AcceptedBatch) => void;
	/** Event lines that could not be written to stdout (`--server-only`), for /api/status. */
	stdoutDropped?: () => number;
	/** Journal rotation size (default 50 MB). */
	journalMaxBytes?: number;
	/** How often the spool is drained while running (default 2000 ms). */
	spoolIntervalMs?: number;
	/** The `events` broadcast's timing and encoder (broadcast.ts has the defaults); tests give it a clock or force socket.io's encoder. */
	broadcast?: Pick<BroadcastOptions, 'gapMs' | 'now' | 'preEncodedFrames'>;
	/** claude-mpm's `heartbeat` period (default 30 s). */
	heartbeatMs?: number;
	/** Bound on one history answer's bytes (default HISTORY_PAGE_BYTES). */
	historyPageBytes?: number;
	/** Time limits, the in-flight body budget and Socket.IO admission limits (server-limits.ts has the defaults). */
	limits?: Partial<ServerLimits>;
	/** How long and how much a forwarder's event is held for the events it names (ordering.ts has the defaults). */
	order?: Partial<OrderGateOptions>;
	/** Timings and bounds of the transcript follower (transcript-follower.ts has the defaults). */
	transcripts?: Pick<
		TranscriptFollowerOptions,
		'pollMs' | 'settleMs' | 'idleMs' | 'chunkBytes' | 'maxLineBytes' | 'maxFiles' | 'maxKeys'
	>;
}

/** Bounds on one history answer (HTTP or Socket.IO): no answer can outgrow a string or a packet. */
export const HISTORY_PAGE_BYTES = 8 * 1024 * 1024;
/** With a filter, a request reads at most this much of the history before it answers `more`. */
export const HISTORY_SCAN_BYTES = 64 * 1024 * 1024;

export async function startServer(config: Config, options: ServerOptions = {}): Promise<MpmServer> {
	// The one bind rule, whoever starts the server (throws UnsafeBindError).
	assertSafeBind(config);
	const guard = new ServerGuard(config, options.limits);
	const log = options.log ?? (() => {});
	const cleanup = new Cleanup();
	try {
		return await start(config, options, log, cleanup, guard);
	} catch (error) {
		await cleanup.run();
		throw error;
	}
}

async function start(
	config: Config,
	options: ServerOptions,
	log: (line: string) => void,
	cleanup: Cleanup,
	guard: ServerGuard,
): Promise<MpmServer> {
	const started = Date.now();
	const dirProblem =
		checkPrivateDirectory(config.stateDir) ?? checkSpoolDirectory(path.dirname(config.spool));
	if (dirProblem) throw new Error(dirProblem);
	const lock = StateDirLock.acquire(config.stateDir);
	cleanup.add(() => lock.release());

	const replay = replayAtStart(config, log);
	let journal: Journal | null = null;
	// Team mode (--redis, docs/team.md): the history holds the team's events, read back from Redis.
	let team: Team | null = null;
	const pipeline = new Pipeline({
		keepHistory: config.redis === null,
		capacity: config.history,
		maxBytes: config.historyBytes,
		replayed: replay.records,
		lastSeq: replay.lastSeq,
		log,
	});
	const rate = new RateCounter(60);
	// The usage join (GET /api/usage, Socket.IO `usage`), from the journal's records and every accepted batch.
	const usage = new UsageState(log);
	if (config.redis === null) usage.add(replay.records);
	const order = new OrderGate(options.order);
	const spoolState = {drained: 0, setAside: 0, stopped: null as string | null};
	const otlp = new OtlpReceiver(
		{
			guard,
			keepIdentity: config.otelKeepIdentity,
			ingestConverted: (items, rejected, meta, convert) =>
				pipeline.ingestConverted(items, rejected, meta, convert),
		},
		started,
	);
	// Transcripts are read only here, in the process that owns the port: a client (a TUI
	// connected to a server elsewhere) never reads one.
	const transcripts = config.transcripts.follow
		? new TranscriptFollower({
				...options.transcripts,
				roots: realRoots(config.transcripts.roots),
				fromStart: config.transcripts.fromStart,
				prices: loadPriceIndex(config.pricesFile, log, config.pricesFileNamed),
				ingest: (values) => pipeline.ingestValues(values, {source: 'transcript'}),
				log,
			})
		: null;
	cleanup.add(() => transcripts?.close());
	/** A hook event from a forwarder on this machine (loopback POST or the local spool) may name a transcript to follow. */
	const noteLocal = (result: IngestResult): IngestResult => {
		if (transcripts && result.records.length > 0) transcripts.noteHookRecords(result.records);
		return result;
	};
	let port = config.port;

	const historyPage = (
		since: number,
		limit: number,
		test?: (record: EventRecord) => boolean,
	): Page & {lastSeq: number} => ({
		...(team?.history ?? pipeline.history).page(since, {
			limit,
			maxBytes: options.historyPageBytes ?? HISTORY_PAGE_BYTES,
			test,
			maxScanBytes: HISTORY_SCAN_BYTES,
		}),
		lastSeq: team ? team.lastSeq : pipeline.lastSeq,
	});
	const problems = () => serverProblems(journal, team);
	const health = () => healthInfo({started, journal: () => journal, team: () => team, port: () => port});
	const hello = () => helloInfo(pipeline, team);

	const httpServer = http.createServer({keepAlive: true, ...guard.httpOptions()});
	guard.attach(httpServer);
	httpServer.keepAliveTimeout = 30_000;
	let io: SocketServer | undefined;
	let broadcaster: Broadcaster | undefined;
	const stats = (): ServerStats =>
		serverStats({
			config,
			started,
			pipeline,
			rate,
			guard,
			io,
			journal,
			replay,
			spoolState,
			order,
			otlp,
			transcripts,
			problems: problems(),
			stdoutDropped: options.stdoutDropped?.() ?? 0,
			broadcast: {packets: broadcaster?.emits ?? 0, preEncodedFrames: broadcaster?.preEncodedFrames ?? false},
			team,
		});

	httpServer.on(
		'request',
		createRequestHandler({
			config,
			health,
			stats,
			history: historyPage,
			guard,
			ingestBytes: (bytes, contentType, meta) => {
				const result = pipeline.ingestBytes(bytes, contentType, meta);
				return meta.source === 'hook' && meta.local === true ? noteLocal(result) : result;
			},
			order,
			otlp,
			usage: () => usage.answer(),
			log,
		}),
	);
	io = createSocketServer(
		httpServer,
		config,
		{
			hello,
			history: (since, limit) => historyPage(since, limit),
			ingest: (value, source) => pipeline.ingestValues([value], {source}),
			status: stats,
			usage: () => usage.answer(),
			log,
		},
		guard,
	);
	const sockets = io;
	cleanup.add(() => new Promise<void>((resolve) => sockets.close(() => resolve())));
	const broadcast = new Broadcaster(io, {...options.broadcast, log});
	broadcaster = broadcast;
	if (!broadcast.preEncodedFrames && options.broadcast?.preEncodedFrames === undefined)
		log(
			'socket.io: this engine.io does not send pre-encoded WebSocket frames as they are; events are encoded by socket.io instead (slower)',
		);
	const publish = (batch: AcceptedBatch) => {
		rate.add(Date.now(), batch.records.length);
		usage.add(batch.records);
		broadcast.push(batch);
		options.onAccepted?.(batch);
	};
	if (config.redis && config.journal) {
		// Loaded only here, so that a server without --redis loads nothing of Redis.
		const {startTeam} = await import('./team/team.js');
		team = await startTeam({
			redis: config.redis,
			journal: config.journal,
			journalLastSeq: replay.lastSeq,
			capacity: config.history,
			maxBytes: config.historyBytes,
			maxLen: Math.max(config.history, 1000),
			log,
			publish,
			loaded: (batch) => usage.add(batch.records),
		});
		const started = team;
		cleanup.add(() => started.close());
		started.attach(io);
		// Accepted events are in the journal: the team ships them from there, and publishes them once read back.
		pipeline.onAccepted(() => started.ship());
	} else pipeline.onAccepted(publish);

	await listen(httpServer, config.host, config.port);
	cleanup.add(() => {
		httpServer.closeAllConnections();
	});
	// Only a server that owns its port and lock writes the journal.
	journal = openJournal(config, replay, options.journalMaxBytes, log);
	if (journal) {
		const opened = journal;
		cleanup.add(() => opened.close());
		pipeline.attachJournal(journal);
	}
	port = (httpServer.address() as AddressInfo).port;
	const url = serverUrl(config.host, port);
	lock.setUrl(url);

	const stopDrain = startSpoolDrain(
		config,
		options.spoolIntervalMs,
		log,
		(text, meta) =>
			settledAfter(order, meta.id, noteLocal(pipeline.ingestText(text, 'application/json', meta))),
		(report) => {
			spoolState.drained += report.accepted;
			spoolState.setAside += report.setAside;
			if (report.files > 0 || report.stopped) spoolState.stopped = report.stopped ?? null;
		},
	);
	cleanup.add(stopDrain);
	const stopSends = startPeriodicSends(
		sockets,
		stats,
		() => guard.stats().sockets.admitted,
		options.heartbeatMs,
	);

	let closing: Promise<void> | undefined;
	const close = () => {
		closing ??= (async () => {
			stopSends();
			stopDrain();
			// Held events are ingested now, while the journal is still open.
			order.close();
			await transcripts?.close();
			httpServer.closeIdleConnections();
			broadcast.close();
			await new Promise<void>((resolve) => {
				io!.close(() => resolve());
				httpServer.closeAllConnections();
			});
			await team?.close();
			await journal?.close();
			lock.release();
		})();
		return closing;
	};

	return {
		port,
		url,
		ingest: (values: unknown[], source: string): IngestResult => pipeline.ingestValues(values, {source}),
		stats,
		guard: () => guard.stats(),
		close,
	};
}
