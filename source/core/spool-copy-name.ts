/**
 * The name of the sh forwarder's private copy of a hook's stdin next to the spool,
 * `<spool>.in-<pid>-<id>` (`….line`: the spool line it prepares). The server's drain delivers a
 * copy a killed forwarder left behind; `hooks status` counts them. Pure.
 */

export interface CopyName {
	/** The forwarder's pid (the shell that read stdin). */
	pid: number;
	id: string;
	/** A prepared spool line (`….line`), not the copy itself. */
	line: boolean;
}

/**
 * Ids the sh forwarder makes: `s<pid>-<start>-<boot>` (its start time and the boot's id), or
 * `s<ms>-<pid>-<nonce>` where there is no /proc. No dots, so `.line` cannot be part of one.
 */
const COPY = /^(\d{1,10})-([A-Za-z0-9_:-]{1,128})(\.line)?$/;

/** `name` is a directory entry; undefined unless it is a well-formed `<spool base>.in-…` name. */
export function parseCopyName(base: string, name: string): CopyName | undefined {
	const prefix = `${base}.in-`;
	if (!name.startsWith(prefix)) return undefined;
	const match = COPY.exec(name.slice(prefix.length));
	if (!match) return undefined;
	return {pid: Number(match[1]), id: match[2], line: match[3] !== undefined};
}
