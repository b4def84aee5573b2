/**
 * A record's line as it crosses a team's Redis stream: the journal's line without its leading
 * `{"seq":N,` (the instance's own seq), and the same line given its team seq back. Records are
 * written seq first (accepted-batch.ts), so the rest of the line is the record without its seq.
 */

const SEQ_HEAD = /^\{"seq":(\d{1,16}),/;

/** The local seq and the rest of a whole record line (ends with `}`), or null for anything else. */
export function splitSeq(line: string): {seq: number; rest: string} | null {
	const head = SEQ_HEAD.exec(line);
	if (!head || !line.endsWith('}')) return null;
	return {seq: Number(head[1]), rest: line.slice(head[0].length)};
}

/** The line of a record whose team seq is `seq` and whose rest is `rest`. */
export function joinSeq(seq: number, rest: string): string {
	return `{"seq":${seq},${rest}`;
}
