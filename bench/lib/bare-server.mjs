// The baseline for the benchmarks: a bare Node `http` + Socket.IO server that only parses JSON (or
// NDJSON lines), replies 202, keeps the last 10,000 events in an array (like a history) and
// broadcasts them in batches (every 20 ms, as the mpm-tui server does). No validation,
// normalization, dedupe or journal. Plain JavaScript run by plain `node` (no TypeScript loader),
// so that its memory and start-up are the bare minimum. Prints `listening PORT` on stdout.
import http from 'node:http';
import {Server} from 'socket.io';

const history = [];
const HISTORY_CAP = 10_000;
let queue = [];
let timer;
let seq = 0;

function flush() {
	timer = undefined;
	const batch = queue;
	queue = [];
	if (batch.length > 0) io.emit('events', batch);
}

function accept(values) {
	for (const value of values) {
		history.push(value);
		queue.push(value);
	}
	if (history.length > HISTORY_CAP) history.splice(0, history.length - HISTORY_CAP);
	timer ??= setTimeout(flush, 20);
}

const server = http.createServer({keepAlive: true}, (req, res) => {
	if (req.method === 'GET' && req.url === '/health') {
		res.end('{"status":"ok"}');
		return;
	}
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const text = Buffer.concat(chunks).toString('utf8');
		let values;
		try {
			values = (req.headers['content-type'] ?? '').includes('ndjson')
				? text
						.split('\n')
						.filter((l) => l.trim() !== '')
						.map((l) => JSON.parse(l))
				: [JSON.parse(text)];
		} catch {
			res.writeHead(400, {'Content-Type': 'application/json'});
			res.end('{"error":"bad json"}');
			return;
		}
		accept(values);
		seq += values.length;
		const body = JSON.stringify({accepted: values.length, lastSeq: seq});
		res.writeHead(202, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
		res.end(body);
	});
});
server.keepAliveTimeout = 30_000;
const io = new Server(server, {serveClient: false, maxHttpBufferSize: 1_048_576});
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
