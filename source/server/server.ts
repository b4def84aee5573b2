/**
 * Starts and stops the mpm-tui server: journal replay, pipeline, HTTP routes and Socket.IO on one
 * port, spool drain at start and every 2 s, `status` every second and claude-mpm's heartbeat every
 * 30 s. `--server-only` and the TUI (hosting in-process) both go through `startServer`.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {assertSafeBind, type Config} from '../config.js';
import type {EventRecord} from '../core/record.js';
import type {AcceptedBatch} from './accepted-batch.js';
import {Broadcaster, CLAUDE_MPM_ROOM, MPM_TUI_ROOM} from './broadcast.js';
import {createRequestHandler} from './http-routes.js';
import {Journal, replayJournal} from './journal.js';
import {Pipeline} from './pipeline.js';
import {RateCounter} from './rate.js';
import {ServerGuard} from './server-guard.js';
import type {ServerLimits} from './server-limits.js';
import {createSocketServer, sendHeartbeat} from './sockets.js';
import {drainSpool, SPOOL_SETTLE_MS, spoolBacklog, spoolDropped} from './spool.js';
import type {HealthInfo, HelloInfo, IngestResult, MpmServer, ServerStats} from './types.js';
import {VERSION} from './version.js';

export type {MpmServer, ServerStats, IngestResult, HealthInfo, HelloInfo} from './types.js';

export interface ServerOptions {
	log?: (line: string) => void;
	/** Called once per accepted batch; its serialized forms are made once and shared with the journal and the broadcast. */
	onAccepted?: (batch: AcceptedBatch) => void;
	/** Journal rotation size (default 50 MB). */
	journalMaxBytes?: number;
	/** How often the spool is drained while running (default 2000 ms). */
	spoolIntervalMs?: number;
	/** Batch window for `events` (default 20 ms). */
	broadcastIntervalMs?: number;
	/** claude-mpm's `system.heartbeat` period (default 30 s). */
	heartbeatMs?: number;
	/** Time limits, the in-flight body budget and Socket.IO admission limits (server-limits.ts has the defaults). */
	limits?: Partial<ServerLimits>;
}

/** The port is held by something; `runServerOnly` and the TUI probe it to say by what. */
export class PortInUseError extends Error {
	constructor(
		readonly host: string,
		readonly port: number,
	) {
		super(`port ${port} on ${host} is already in use`);
	}
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			server.off('listening', onListening);
			reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
		};
		const onListening = () => {
			server.off('error', onError);
			resolve();
		};
		server.once('error', onError);
		server.once('listening', onListening);
		server.listen(port, host);
	});
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<MpmServer> {
	// The one bind rule, whoever starts the server (throws UnsafeBindError).
	assertSafeBind(config);
	const guard = new ServerGuard(config, options.limits);
	const log = options.log ?? (() => {});
	const started = Date.now();
	const replay = config.journal ? await replayJournal(config.journal, config.history) : {records: [], lastSeq: 0, skipped: 0};
	let journalError: string | undefined;
	let journal: Journal | null = null;
	const pipeline = new Pipeline({capacity: config.history, replayed: replay.records, lastSeq: replay.lastSeq});
	const rate = new RateCounter();
	let spoolDrained = 0;
	let port = config.port;

	const history = (since: number, limit: number, test?: (record: EventRecord) => boolean) => {
		if (!test) return {events: pipeline.history.since(since, limit), lastSeq: pipeline.lastSeq};
		const events = pipeline.history.since(since, pipeline.history.size).filter(test).slice(0, limit);
		return {events, lastSeq: pipeline.lastSeq};
	};
	const firstSeq = () => pipeline.history.firstSeq;
	const health = (): HealthInfo => ({status: 'ok', service: 'mpm-tui', version: VERSION, pid: process.pid, uptime: Math.round((Date.now() - started) / 1000), port});
	const hello = (): HelloInfo => ({service: 'mpm-tui', version: VERSION, lastSeq: pipeline.lastSeq, firstSeq: firstSeq(), serverTime: new Date().toISOString()});

	const httpServer = http.createServer({keepAlive: true, ...guard.httpOptions()});
	guard.attach(httpServer);
	httpServer.keepAliveTimeout = 30_000;
	let io: ReturnType<typeof createSocketServer> | undefined;
	const stats = (): ServerStats => {
		const now = Date.now();
		const mpmTui = io?.sockets.adapter.rooms.get(MPM_TUI_ROOM)?.size ?? 0;
		const claudeMpm = io?.sockets.adapter.rooms.get(CLAUDE_MPM_ROOM)?.size ?? 0;
		return {
			events: {total: pipeline.total, ratePerMinute: rate.perMinute(now), lastSeq: pipeline.lastSeq, firstSeq: firstSeq()},
			buffer: {used: pipeline.history.size, capacity: config.history},
			duplicates: pipeline.duplicates,
			rejected: pipeline.rejected,
			clients: {mpmTui, claudeMpm, total: io?.engine.clientsCount ?? 0},
			journal: {path: config.journal, bytes: journal?.bytes() ?? 0, replayed: replay.records.length, skipped: replay.skipped, ...(journalError ? {error: journalError} : {})},
			spool: {path: config.spool, backlogBytes: spoolBacklog(config.spool), drained: spoolDrained, droppedByForwarder: spoolDropped(config.spool)},
			uptime: Math.round((now - started) / 1000),
			pid: process.pid,
			version: VERSION,
		};
	};

	httpServer.on(
		'request',
		createRequestHandler({
			config,
			health,
			stats,
			history,
			guard,
			ingestBytes: (bytes, contentType, meta) => pipeline.ingestBytes(bytes, contentType, meta),
		}),
	);
	io = createSocketServer(httpServer, config, {
		hello,
		history: (since, limit) => history(since, limit),
		ingest: (value, source) => pipeline.ingestValues([value], {source}),
		status: stats,
	}, guard);
	const broadcaster = new Broadcaster(io, {intervalMs: options.broadcastIntervalMs});
	pipeline.onAccepted(batch => {
		rate.add(batch.records.length, Date.now());
		broadcaster.push(batch);
		options.onAccepted?.(batch);
	});

	try {
		await listen(httpServer, config.host, config.port);
	} catch (error) {
		io.close();
		throw error;
	}
	// Only a server that owns its port writes the journal (a second one must not touch it).
	if (config.journal) {
		try {
			journal = new Journal({
				path: config.journal,
				maxBytes: options.journalMaxBytes,
				onError: message => {
					journalError = message;
					log(message);
				},
			});
		} catch (error) {
			await new Promise<void>(resolve => io!.close(() => resolve()));
			throw new Error(`could not open the journal ${config.journal}: ${(error as Error).message} (choose another with --journal PATH, or run with --no-journal)`);
		}
		pipeline.attachJournal(journal);
		if (replay.skipped > 0) log(`journal: skipped ${replay.skipped} unreadable line(s) in ${config.journal}`);
	}
	port = (httpServer.address() as AddressInfo).port;
	const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;

	// A taken spool file that was written a moment ago is read once it has settled: soon after,
	// not at the next interval (the drain at start-up matters most).
	let settleTimer: NodeJS.Timeout | undefined;
	const drain = () => {
		const report = drainSpool(config.spool, (text, meta) => pipeline.ingestText(text, 'application/json', meta));
		spoolDrained += report.accepted;
		if (report.files > 0) log(`spool: ${report.accepted} event(s) taken from ${config.spool}${report.duplicates ? `, ${report.duplicates} already delivered` : ''}${report.rejected ? `, ${report.rejected} unreadable` : ''}`);
		for (const error of report.errors.slice(0, 5)) log(`spool: ${error}`);
		if (report.waiting > 0 && !settleTimer) {
			settleTimer = setTimeout(() => {
				settleTimer = undefined;
				drain();
			}, SPOOL_SETTLE_MS + 20);
			settleTimer.unref();
		}
	};
	drain();
	const timers = [
		setInterval(drain, options.spoolIntervalMs ?? 2000),
		setInterval(() => {
			if (io && (io.sockets.adapter.rooms.get(MPM_TUI_ROOM)?.size ?? 0) > 0) io.to(MPM_TUI_ROOM).volatile.emit('status', stats());
		}, 1000),
		setInterval(() => io && sendHeartbeat(io, new Date().toISOString()), options.heartbeatMs ?? 30_000),
	];
	for (const timer of timers) timer.unref();

	let closing: Promise<void> | undefined;
	const close = () => {
		closing ??= (async () => {
			for (const timer of timers) clearInterval(timer);
			clearTimeout(settleTimer);
			httpServer.closeIdleConnections();
			broadcaster.close();
			await new Promise<void>(resolve => {
				io!.close(() => resolve());
				httpServer.closeAllConnections();
			});
			await journal?.close();
		})();
		return closing;
	};

	return {
		port,
		url: `http://${urlHost}:${port}`,
		ingest: (values: unknown[], source: string): IngestResult => pipeline.ingestValues(values, {source}),
		stats,
		guard: () => guard.stats(),
		close,
	};
}
