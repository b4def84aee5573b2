/**
 * Socket.IO receivers in their own process, so that decoding what they receive does not slow the
 * load generator. Started by `startReceivers` (harness.ts) with IPC; answers `count` with each
 * receiver's event count and, when asked for latencies, the receive-minus-send times (the events
 * carry `bench_sent`, a `performance.timeOrigin + performance.now()` stamp).
 */
import {io, type Socket} from 'socket.io-client';

const [url, nText, identify] = process.argv.slice(2);
const n = Number(nText);
const counts: number[] = new Array(n).fill(0);
const latencies: number[] = [];
const sockets: Socket[] = [];

function sentAt(event: any): number | undefined {
	const v = event?.payload?.bench_sent ?? event?.bench_sent;
	return typeof v === 'number' ? v : undefined;
}

await Promise.all(
	Array.from({length: n}, (_, i) => {
		const socket = io(url, {
			transports: ['websocket'],
			forceNew: true,
			reconnection: false,
			auth: identify === '1' ? {client: 'mpm-tui'} : {},
		});
		sockets.push(socket);
		socket.on('events', (batch: any[]) => {
			counts[i] += batch.length;
			const now = performance.timeOrigin + performance.now();
			for (const event of batch) {
				const sent = sentAt(event);
				if (sent !== undefined) latencies.push(now - sent);
			}
		});
		return new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
	}),
);
process.send!({type: 'ready'});
process.on('message', (message: any) => {
	if (message.type === 'count') process.send!({type: 'count', counts});
	if (message.type === 'latencies') process.send!({type: 'latencies', latencies});
	if (message.type === 'close') {
		for (const s of sockets) s.close();
		process.exit(0);
	}
});
