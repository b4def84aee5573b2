/**
 * Everything that keeps clients from hurting the server, in one object the server wires in: the
 * request gate (Origin, Host), Node's time limits and JSON answers to malformed requests, the
 * budget for request bodies in flight, and Socket.IO admission (token, connection limit).
 */
import {
	ServerResponse,
	type IncomingMessage,
	type Server as HttpServer,
	type ServerOptions as HttpServerOptions,
} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Config} from '../config.js';
import {readBody, type BodyResult} from './body.js';
import {clientErrorHandler} from './client-errors.js';
import {InflightBodies} from './inflight.js';
import {sendRefusal, writeRawRefusal} from './refusal.js';
import {RequestGate} from './request-gate.js';
import {httpServerOptions, resolveLimits, type ServerLimits} from './server-limits.js';
import {queryOf} from './security.js';
import {SocketAdmission, type AdmissionStats} from './socket-admission.js';

export interface GuardStats {
	bodies: {bytesInFlight: number; inFlight: number; limitBytes: number; evicted: number};
	sockets: AdmissionStats;
}

/** Engine.IO's middleware signature (`io.engine.use`). */
type EngineMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export class ServerGuard {
	readonly limits: ServerLimits;
	readonly admission: SocketAdmission;
	private readonly gate: RequestGate;
	private readonly bodies: InflightBodies;

	constructor(config: Pick<Config, 'host' | 'token' | 'maxConnections'>, limits: Partial<ServerLimits> = {}) {
		this.limits = resolveLimits(limits);
		this.gate = new RequestGate(config);
		this.bodies = new InflightBodies(this.limits.maxInflightBodyBytes);
		this.admission = new SocketAdmission({
			token: config.token,
			maxConnections: config.maxConnections,
			maxWaiting: this.limits.maxWaitingHandshakes,
			connectTimeoutMs: this.limits.connectTimeoutMs,
		});
	}

	/** For `http.createServer`. */
	httpOptions(): HttpServerOptions {
		return httpServerOptions(this.limits);
	}

	/** Learns the port once the server listens (it may have asked for port 0); answers `clientError`s. */
	attach(server: HttpServer): void {
		server.on('listening', () => this.gate.setPort((server.address() as AddressInfo).port));
		server.on('clientError', clientErrorHandler(this.limits));
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

	/** A request body within the size limit and the shared in-flight budget. */
	readBody(req: IncomingMessage): Promise<BodyResult> {
		return readBody(req, {budget: this.bodies});
	}

	/**
	 * For `io.engine.use`: the gate for every Engine.IO request, and admission for handshakes. An
	 * upgrade request has no ServerResponse: its refusal is written onto the socket.
	 */
	engineMiddleware(): EngineMiddleware {
		return (req, res, next) => {
			const refusal =
				this.gate.refusal(req) ?? (queryOf(req.url).has('sid') ? null : this.admission.handshakeRefusal(req));
			if (refusal === null) return next();
			if (res instanceof ServerResponse) sendRefusal(req, res, refusal);
			else writeRawRefusal(req.socket, refusal);
		};
	}

	stats(): GuardStats {
		return {
			bodies: {
				bytesInFlight: this.bodies.bytes,
				inFlight: this.bodies.count,
				limitBytes: this.bodies.limit,
				evicted: this.bodies.evicted,
			},
			sockets: this.admission.stats(),
		};
	}
}
