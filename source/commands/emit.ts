/**
 * `mpm-tui emit [JSON]`: sends one event (the argument, or stdin when there is none) to the
 * server's POST /api/events and prints the server's answer. Exit 0 when it was accepted (202).
 */
import http from 'node:http';
import https from 'node:https';
import {serverText} from '../client/server-text.js';
import type {Config} from '../config.js';
import {isObj, own} from '../core/otel-values.js';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';

function readStdin(): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
		process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
		process.stdin.on('error', reject);
	});
}

interface Answer {
	status: number;
	contentType: string;
	text: string;
}

/** The answer's `accepted` and `error` (own fields only: the body is another program's text), or undefined when it is not a JSON object. */
function answerFields(text: string): {accepted: unknown; error: unknown} | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	return isObj(value) ? {accepted: own(value, 'accepted'), error: own(value, 'error')} : undefined;
}

function post(url: URL, body: Buffer, token: string | undefined): Promise<Answer> {
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
				resolve({
					status: response.statusCode ?? 0,
					contentType: response.headers['content-type'] ?? '',
					text: Buffer.concat(chunks).toString('utf8'),
				}),
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
	let answer: Answer;
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
	// mpm-tui answers JSON: the acceptance (202) or the reason of a refusal. Anything else came from
	// another program on that port, whose body is not printed (it may hold a whole page, or escapes).
	const json = answerFields(answer.text);
	const accepted = answer.status === 202 && typeof json?.accepted === 'number';
	if (!accepted && typeof json?.error !== 'string') {
		const type = answer.contentType === '' ? '' : ` (${serverText(answer.contentType)})`;
		process.stderr.write(
			`mpm-tui: ${config.url} is not an mpm-tui server: POST ${url.pathname} answered HTTP ${answer.status}${type}\n`,
		);
		return 1;
	}
	process.stdout.write(`${escapeJsonForTerminal(answer.text.trimEnd())}\n`);
	if (accepted) return 0;
	process.stderr.write(
		`mpm-tui: the server refused the event (HTTP ${answer.status}): ${serverText(json?.error)}\n`,
	);
	return 1;
}
