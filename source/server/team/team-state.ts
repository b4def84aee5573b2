/**
 * What a team instance keeps beside its journal (`<journal>.team`), so that neither a restart of
 * the instance nor a Redis that lost its data can ship an event twice or give a seq again:
 * - `instance`: this journal's name in Redis (the key under which its shipped mark is kept); a
 *   new one is made when the journal starts over (its seqs start again from 1);
 * - `shipped`: the highest journal seq shipped to Redis (at the first start in team mode, the
 *   journal's last seq: events from before are not shipped);
 * - `seen`: the highest team seq this instance has seen (shipped or read), the floor under the
 *   team's counter.
 * One fixed-width line, rewritten in place by a single positioned write, so that each update is
 * one small write and a full disk can still take it.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';

const WIDTH = 20;
const LINE = /^([0-9a-f]{24}) (\d{1,20}) +(\d{1,20}) *$/;

export function teamStatePath(journal: string): string {
	return `${journal}.team`;
}

export class TeamState {
	readonly instance: string;
	shipped: number;
	seen: number;
	private readonly fd: number;
	private written = '';

	/** `journalLastSeq`: the journal's highest seq; 0 means a new journal, hence a new instance name. */
	constructor(file: string, journalLastSeq: number) {
		let instance: string | null = null;
		let shipped = 0;
		let seen = 0;
		let found = false;
		try {
			const match = LINE.exec(fs.readFileSync(file, 'latin1').split('\n')[0]);
			if (match) {
				found = true;
				instance = match[1];
				shipped = Number(match[2]);
				seen = Number(match[3]);
			}
		} catch {
			// No file yet.
		}
		if (instance === null || journalLastSeq === 0 || shipped > journalLastSeq) {
			instance = randomBytes(12).toString('hex');
			// The first start in team mode (or a state line that cannot be read): what the journal held
			// before is this machine's past, not the team's, and is not shipped (never twice).
			shipped = found ? 0 : journalLastSeq;
		}
		this.instance = instance;
		this.shipped = shipped;
		this.seen = seen;
		this.fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
		this.save();
	}

	/** Writes the state if it changed; a failed write is retried with the next change. */
	save(): void {
		const line = `${this.instance} ${String(this.shipped).padEnd(WIDTH)} ${String(this.seen).padEnd(WIDTH)}\n`;
		if (line === this.written) return;
		try {
			fs.writeSync(this.fd, line, 0, 'latin1');
			this.written = line;
		} catch {
			// Kept in memory; the next save tries again.
		}
	}

	close(): void {
		this.save();
		fs.closeSync(this.fd);
	}
}
