/**
 * Everything that keeps clients from hurting the server, in one object the server wires in: the
 * request gate (Origin, Host) for the HTTP routes and for every Engine.IO request, and Socket.IO
 * admission (token, connection limit).
 */
import {ServerResponse, type IncomingMessage, type Server as HttpServer, type ServerOptions as HttpServerOptions} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Config} from '../config.js';
import {sendRefusal, writeRawRefusal} from './refusal.js';
import {RequestGate} from './request-gate.js';
import {resolveLimits, type ServerLimits} from './server-limits.js';
import {queryOf} from './security.js';
import {SocketAdmission, type AdmissionStats} from './socket-admission.js';

export interface GuardStats {
	sockets: AdmissionStats;
}

/** Engine.IO's middleware signature (`io.engine.use`). */
type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export class ServerGuard {
	readonly limits: ServerLimits;
	readonly admission: SocketAdmission;
	private readonly gate: RequestGate;

	constructor(config: Pick<Config, 'host' | 'token' | 'maxConnections'>, limits: Partial<ServerLimits> = {}) {
		this.limits = resolveLimits(limits);
		this.gate = new RequestGate(config);
		this.admission = new SocketAdmission({
			token: config.token,
			maxConnections: config.maxConnections,
			maxWaiting: this.limits.maxWaitingHandshakes,
			connectTimeoutMs: this.limits.connectTimeoutMs,
		});
	}

	/** For `http.createServer`: the gate answers a missing Host itself, in JSON. */
	httpOptions(): HttpServerOptions {
		return {requireHostHeader: false};
	}

	/** Learns the port once the server listens (it may have asked for port 0). */
	attach(server: HttpServer): void {
		server.on('listening', () => this.gate.setPort((server.address() as AddressInfo).port));
	}

	/**
	 * The first call of the HTTP route handler: true when the request was refused (and answered).
	 * An allowed loopback `Origin` gets CORS headers.
	 */
	refuse(req: IncomingMessage, res: ServerResponse): boolean {
		const refusal = this.gate.refusal(req);
		if (refusal !== null) {
			sendRefusal(req, res, refusal);
			return true;
		}
		const {origin} = req.headers;
		if (origin) {
			res.setHeader('Access-Control-Allow-Origin', origin);
			res.setHeader('Vary', 'Origin');
		}
		return false;
	}

	/**
	 * For `io.engine.use`: the gate for every Engine.IO request, and admission for handshakes. An
	 * upgrade request has no ServerResponse: its refusal is written onto the socket.
	 */
	engineMiddleware(): EngineMiddleware {
		return (req, res, next) => {
			const refusal = this.gate.refusal(req) ?? (queryOf(req.url).has('sid') ? null : this.admission.handshakeRefusal(req));
			if (refusal === null) return next();
			if (res instanceof ServerResponse) sendRefusal(req, res, refusal);
			else writeRawRefusal(req.socket, refusal);
		};
	}

	stats(): GuardStats {
		return {sockets: this.admission.stats()};
	}
}
