/**
 * The first check of every request, HTTP routes and Engine.IO alike (polling, WebSocket upgrade,
 * handshake or not): a non-loopback `Origin` is refused (403), and while the server listens on
 * loopback without a token, a `Host` that is not a loopback name with the server's port (421,
 * DNS rebinding; see host-check.ts). HTTP/1.1 without a `Host` is malformed (400).
 */
import type {IncomingMessage} from 'node:http';
import {isLoopbackHost, type Config} from '../config.js';
import {HostCheck} from './host-check.js';
import type {Refusal} from './refusal.js';
import {isAllowedOrigin} from './security.js';

export class RequestGate {
	/** Null when Host is not checked: a token is set (it is the protection), or the server listens beyond loopback (which needs one). */
	private readonly hosts: HostCheck | null;

	constructor(config: Pick<Config, 'host' | 'token'>) {
		this.hosts = isLoopbackHost(config.host) && !config.token ? new HostCheck() : null;
	}

	/** The port the server listens on, once it does. */
	setPort(port: number): void {
		this.hosts?.setPort(port);
	}

	refusal(req: IncomingMessage): Refusal | null {
		const {origin, host} = req.headers;
		if (origin !== undefined && !isAllowedOrigin(origin)) {
			return {
				status: 403,
				error: `origin ${origin} is not allowed: only loopback origins (localhost, 127.x.x.x, [::1]) may talk to mpm-tui`,
			};
		}
		if (host === undefined && req.httpVersion === '1.1')
			return {status: 400, error: 'an HTTP/1.1 request must have a Host header'};
		const hostError = this.hosts?.refusal(host) ?? null;
		return hostError === null ? null : {status: 421, error: hostError};
	}
}
