/**
 * `mpm-tui emit [JSON]`: sends one event (the argument, or stdin when there is none) to the
 * server's POST /api/events and prints the server's answer. Exit 0 when it was accepted (202).
 */
import http from 'node:http';
import https from 'node:https';
import type {Config} from '../config.js';

function readStdin(): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
		process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
		process.stdin.on('error', reject);
	});
}

function post(url: URL, body: Buffer, token: string | undefined): Promise<{status: number; text: string}> {
	const send = url.protocol === 'https:' ? https.request : http.request;
	const headers: Record<string, string | number> = {
		'Content-Type': 'application/json',
		'Content-Length': body.length,
	};
	if (token) headers.Authorization = `Bearer ${token}`;
	return new Promise((resolve, reject) => {
		const request = send(url, {method: 'POST', headers, timeout: 10_000}, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}),
			);
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(new Error('the server did not answer within 10 s')));
		request.on('error', reject);
		request.end(body);
	});
}

export async function runEmit(config: Config, text = ''): Promise<number> {
	let body: Buffer;
	if (text.trim() !== '') body = Buffer.from(text, 'utf8');
	else if (process.stdin.isTTY) {
		process.stderr.write(
			'mpm-tui: emit needs one event as JSON, as an argument or on stdin, e.g. mpm-tui emit \'{"hook_event_name":"Notification","message":"hi"}\'\n',
		);
		return 2;
	} else body = await readStdin();
	if (body.toString('utf8').trim() === '') {
		process.stderr.write('mpm-tui: emit got an empty event on stdin\n');
		return 2;
	}
	const url = new URL('/api/events', config.url);
	let answer: {status: number; text: string};
	try {
		answer = await post(url, body, config.token);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		process.stderr.write(
			code === 'ECONNREFUSED'
				? `mpm-tui: no server answers at ${config.url} (start one with: mpm-tui --server-only)\n`
				: `mpm-tui: could not send to ${url.href}: ${(error as Error).message}\n`,
		);
		return 1;
	}
	process.stdout.write(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
	if (answer.status === 202) return 0;
	let reason = answer.text;
	try {
		const parsed = JSON.parse(answer.text) as {error?: unknown};
		if (typeof parsed.error === 'string') reason = parsed.error;
	} catch {
		// not JSON: show it as it came
	}
	process.stderr.write(`mpm-tui: the server refused the event (HTTP ${answer.status}): ${reason}\n`);
	return 1;
}
