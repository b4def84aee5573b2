/**
 * DNS rebinding guard. A web page at `http://evil.example:8765` whose name is made to resolve to
 * 127.0.0.1 reaches a loopback server as "same origin", so neither CORS nor the Origin check stops
 * it; but its browser names `evil.example` in the `Host` header. So while the server listens on
 * loopback without a token, a request must name a loopback host with the server's own port.
 * With a token, the token is the protection and Host is not checked.
 */

/** How a `Host` header value is judged; `port` is the port the server actually listens on. */
export class HostCheck {
	private exact = new Set<string>();
	private port = 0;

	/** Called once the server listens (the port may have been 0, an ephemeral one). */
	setPort(port: number): void {
		this.port = port;
		// The forms real clients send (curl, Node's http, socket.io-client, the forwarders), matched without parsing.
		this.exact = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
		if (port === 80) for (const name of ['127.0.0.1', 'localhost', '[::1]']) this.exact.add(name);
	}

	/**
	 * Null when `host` is allowed, else why not. `undefined` (no Host header: HTTP/1.0) is allowed;
	 * browsers always send one, and an HTTP/1.1 request without it is refused by the gate.
	 */
	refusal(host: string | undefined): string | null {
		if (host === undefined || this.exact.has(host)) return null;
		const parsed = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
		if (parsed) {
			const name = parsed[1].toLowerCase();
			const port = parsed[2] === undefined ? 80 : Number(parsed[2]);
			if (isLoopbackName(name) && port === this.port) return null;
		}
		const shown = host.length > 100 ? `${host.slice(0, 100)}…` : host;
		return `host ${JSON.stringify(shown)} is not allowed: this server listens on loopback without a token and answers only requests for 127.0.0.1:${this.port}, localhost:${this.port} or [::1]:${this.port} (a defence against DNS rebinding; set a token to reach it under another name)`;
	}
}

/** `localhost`, `127.x.y.z` (each part 0–255) or `[::1]`. */
function isLoopbackName(name: string): boolean {
	if (name === 'localhost' || name === '[::1]') return true;
	const parts = name.split('.');
	return (
		parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
	);
}
