/**
 * A real HTTP + Socket.IO server on a free loopback port that plays claude-mpm's monitor
 * (src/claude_mpm/services/monitor/server.py) where mpm-tui meets it: `GET /health` answers as its
 * `health_check` does, `POST /api/events` emits to every Socket.IO client what its
 * `api_events_handler` emits (fixtures/claude-mpm-wire.ts `claudeMpmEmit`) and answers 204, and a
 * test can emit anything else itself. No mpm-tui code is involved.
 */
import http from 'node:http';
import {Server} from 'socket.io';
import {claudeMpmEmit} from '../fixtures/claude-mpm-wire.js';
import type {Payload} from '../fixtures/hook-payloads.js';
import {freePort} from './free-port.js';

export interface ClaudeMpmServer {
	url: string;
	port: number;
	io: Server;
	/** Bodies POSTed to /api/events, parsed, in order. */
	posted: Payload[];
	/** The Socket.IO event each POST was emitted under (its category), in order. */
	emitted: string[];
	/** The body emitted for each POST, in order. */
	bodies: Payload[];
	close(): Promise<void>;
}

export async function startClaudeMpmServer(): Promise<ClaudeMpmServer> {
	const port = await freePort();
	const started = Date.now();
	const posted: Payload[] = [];
	const emitted: string[] = [];
	const bodies: Payload[] = [];
	const httpServer = http.createServer();
	const io = new Server(httpServer, {cors: {origin: '*'}, pingInterval: 30_000, pingTimeout: 60_000});
	httpServer.on('request', (req, res) => {
		if (req.url?.startsWith('/socket.io/')) return;
		if (req.method === 'GET' && req.url === '/health') {
			res.writeHead(200, {'Content-Type': 'application/json'});
			res.end(
				JSON.stringify({
					status: 'running',
					service: 'claude-mpm-monitor',
					version: '5.6.0',
					port,
					pid: process.pid,
					uptime: Math.floor((Date.now() - started) / 1000),
				}),
			);
			return;
		}
		if (req.method === 'POST' && req.url === '/api/events') {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				try {
					const received = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payload;
					posted.push(received);
					// datetime.now(UTC).isoformat() + "Z", as server.py writes it.
					const {event, body} = claudeMpmEmit(
						received,
						`${new Date().toISOString().replace('Z', '000+00:00')}Z`,
					);
					emitted.push(event);
					bodies.push(body);
					io.emit(event, body);
					res.writeHead(204);
					res.end();
				} catch (error) {
					res.writeHead(500);
					res.end(`Error: ${(error as Error).message}`);
				}
			});
			return;
		}
		res.writeHead(404);
		res.end('Not Found');
	});
	await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		io,
		posted,
		emitted,
		bodies,
		close: () =>
			new Promise<void>((resolve) => {
				io.close();
				httpServer.close(() => resolve());
				httpServer.closeAllConnections();
			}),
	};
}
