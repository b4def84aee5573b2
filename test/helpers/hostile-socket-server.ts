/**
 * A real Socket.IO 4 server on a free loopback port that sends whatever a test tells it to, also
 * JSON no well-behaved encoder would write (nested 5,000 deep): wrap the text in `raw(…)` where an
 * event argument or ack value goes, and it is put on the wire as it is.
 */
import http from 'node:http';
import type net from 'node:net';
import {Server} from 'socket.io';
import {Encoder, PacketType} from 'socket.io-parser';
import * as parser from 'socket.io-parser';

/** JSON text to send as it is, in place of an argument. */
export class RawJson {
	constructor(readonly text: string) {}
}

export const raw = (text: string) => new RawJson(text);

/** The default encoder, except that a packet with a RawJson argument is written by hand. */
class RawEncoder extends Encoder {
	override encode(packet: parser.Packet): any[] {
		const args = Array.isArray(packet.data) ? (packet.data as unknown[]) : null;
		if (
			(packet.type === PacketType.EVENT || packet.type === PacketType.ACK) &&
			args?.some((a) => a instanceof RawJson)
		) {
			const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
			const body = args.map((a) => (a instanceof RawJson ? a.text : JSON.stringify(a))).join(',');
			return [`${packet.type}${nsp}${packet.id ?? ''}[${body}]`];
		}
		return super.encode(packet);
	}
}

export interface HostileServer {
	url: string;
	io: Server;
	close(): Promise<void>;
}

export async function hostileServer(): Promise<HostileServer> {
	const server = http.createServer();
	const io = new Server(server, {parser: {...parser, Encoder: RawEncoder}});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
	return {
		url,
		io,
		close: () => new Promise<void>((resolve) => io.close(() => resolve())),
	};
}

/** `{"a":{"a":… "bottom" …}}` as text, `depth` levels deep (JSON.stringify cannot write it). */
export function deepJson(depth: number): string {
	return `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}
