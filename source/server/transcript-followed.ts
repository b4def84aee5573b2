/**
 * One transcript file the follower (transcript-follower.ts) follows: what it knows of it, and how
 * the bytes read from it become lines: a partial last line is held (copied) until its newline
 * comes, and a line over the cap is skipped without being held.
 */

export interface Followed {
	path: string;
	session: string;
	agentId: string | null;
	agentType: string | null;
	cwd: string | null;
	/** `new`: not checked yet; `waiting`: not there yet; `reading`: checked, being followed. */
	state: 'new' | 'waiting' | 'reading';
	/** Read from 0 when it is first checked (or when it appears). */
	fromZero: boolean;
	ino: number;
	dev: number;
	offset: number;
	/** Bytes of a line whose newline has not come yet. */
	partial: Buffer[];
	partialBytes: number;
	/** Inside a line over the cap: everything up to its newline is skipped. */
	skipping: boolean;
	lastActive: number;
	/** Read to its end once more, then dropped (SessionEnd, SubagentStop). */
	ending: boolean;
	/** More bytes than one step read were there. */
	backlog: boolean;
}

/** A file just named: not checked yet, read from where its first check says. */
export function newFollowed(
	path: string,
	session: string,
	agentId: string | null,
	agentType: string | null,
	cwd: string | null,
	now: number,
	fromZero: boolean,
): Followed {
	return {
		path,
		session,
		agentId,
		agentType,
		cwd,
		state: 'new',
		fromZero,
		ino: 0,
		dev: 0,
		offset: 0,
		partial: [],
		partialBytes: 0,
		skipping: false,
		lastActive: now,
		ending: false,
		backlog: false,
	};
}

/** Forgets the line being read (the file is read again from elsewhere). */
export function resetLine(file: Followed): void {
	file.partial = [];
	file.partialBytes = 0;
	file.skipping = false;
}

const NEWLINE = 10;

/**
 * Splits bytes read from `file` into lines, each whole line within `maxLineBytes` given to `line`;
 * a partial last line is kept (copied) until its newline comes. Returns how many lines were over
 * the cap (skipped).
 */
export function splitLines(
	file: Followed,
	bytes: Buffer,
	maxLineBytes: number,
	line: (bytes: Buffer) => void,
): number {
	let overCap = 0;
	let start = 0;
	while (start < bytes.length) {
		const end = bytes.indexOf(NEWLINE, start);
		if (end === -1) {
			if (!file.skipping) {
				file.partialBytes += bytes.length - start;
				if (file.partialBytes > maxLineBytes) {
					overCap++;
					resetLine(file);
					file.skipping = true;
				} else file.partial.push(Buffer.from(bytes.subarray(start)));
			}
			return overCap;
		}
		if (file.skipping) file.skipping = false;
		else if (file.partial.length > 0) {
			const length = file.partialBytes + end - start;
			if (length > maxLineBytes) overCap++;
			else line(Buffer.concat([...file.partial, bytes.subarray(start, end)]));
			resetLine(file);
		} else if (end - start > maxLineBytes) overCap++;
		else line(bytes.subarray(start, end));
		start = end + 1;
	}
	return overCap;
}
