/**
 * Which transcript files the server may read. Only a path named by a hook event from this
 * machine, and only when it passes every check here:
 * - an absolute path of at most 4,096 bytes without NUL, whose name ends `.jsonl`;
 * - a regular file, not a symbolic link (lstat), owned by the user the server runs as;
 * - its real path (every link in its folders resolved) inside one of the roots: the user's home
 *   or a `CLAUDE_CONFIG_DIR` (Claude Code keeps transcripts under `<root>/projects/`).
 * The file is then opened without following a link (`O_NOFOLLOW`) or blocking (`O_NONBLOCK`: a
 * FIFO put there meanwhile must not hang the server), and the opened file must be the one checked
 * (same device and inode, still a regular file).
 * A subagent's transcript is `<session dir>/subagents/agent-<agent id>.jsonl` next to the
 * session's transcript (`<session dir>.jsonl`), with an agent id of letters, digits, `-` and `_`.
 */
import fs from 'node:fs';
import path from 'node:path';

const MAX_PATH_BYTES = 4096;
const AGENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export type PathCheck =
	{ok: true; ino: number; dev: number; size: number} | {ok: false; missing: boolean; reason: string};

/** The syntactic part of the rule (no file system access). */
export function transcriptPathProblem(file: string): string | null {
	if (file.length === 0 || Buffer.byteLength(file) > MAX_PATH_BYTES || file.includes('\0'))
		return 'not a usable path';
	if (!path.isAbsolute(file)) return 'not an absolute path';
	if (path.normalize(file) !== file) return 'not a normalized path';
	if (!file.endsWith('.jsonl')) return 'not a .jsonl file';
	return null;
}

/** The roots' real paths (links resolved); a root that does not exist is left out. */
export function realRoots(roots: string[]): string[] {
	const out: string[] = [];
	for (const root of roots) {
		try {
			out.push(fs.realpathSync(root));
		} catch {
			// A root that is not there holds no transcript.
		}
	}
	return out;
}

function inside(file: string, root: string): boolean {
	const rel = path.relative(root, file);
	return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const uid = typeof process.getuid === 'function' ? process.getuid() : -1;

/** Checks `file` by the rule above (async: lstat and realpath never block the event loop). */
export async function checkTranscriptPath(file: string, roots: string[]): Promise<PathCheck> {
	const problem = transcriptPathProblem(file);
	if (problem) return {ok: false, missing: false, reason: problem};
	let stat: fs.Stats;
	try {
		stat = await fs.promises.lstat(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return {
			ok: false,
			missing: code === 'ENOENT',
			reason: code === 'ENOENT' ? 'not there (yet)' : `cannot be read (${code ?? 'error'})`,
		};
	}
	if (stat.isSymbolicLink()) return {ok: false, missing: false, reason: 'a symbolic link'};
	if (!stat.isFile()) return {ok: false, missing: false, reason: 'not a regular file'};
	if (uid !== -1 && stat.uid !== uid) return {ok: false, missing: false, reason: 'not owned by this user'};
	let real: string;
	try {
		real = await fs.promises.realpath(file);
	} catch {
		return {ok: false, missing: true, reason: 'not there (yet)'};
	}
	if (!roots.some((root) => inside(real, root)))
		return {ok: false, missing: false, reason: "outside the user's home and CLAUDE_CONFIG_DIR"};
	return {ok: true, ino: stat.ino, dev: stat.dev, size: stat.size};
}

/** A subagent's transcript next to its session's, or null when the agent id is not a plain name. */
export function subagentTranscriptPath(sessionTranscript: string, agentId: string): string | null {
	if (!AGENT_ID.test(agentId) || transcriptPathProblem(sessionTranscript)) return null;
	return path.join(sessionTranscript.slice(0, -'.jsonl'.length), 'subagents', `agent-${agentId}.jsonl`);
}

/** True when `agentPath` (SubagentStop's `agent_transcript_path`) is a subagent transcript of the session whose transcript is `sessionTranscript`. */
export function isSubagentTranscriptOf(agentPath: string, sessionTranscript: string): boolean {
	if (transcriptPathProblem(agentPath) || transcriptPathProblem(sessionTranscript)) return false;
	const dir = path.join(sessionTranscript.slice(0, -'.jsonl'.length), 'subagents');
	return (
		path.dirname(agentPath) === dir && /^agent-[A-Za-z0-9_-]{1,128}\.jsonl$/.test(path.basename(agentPath))
	);
}

/** Opens a checked file for reading: no link followed, never blocking; the handle must be the file checked. */
export async function openChecked(
	file: string,
	expect: {ino: number; dev: number},
): Promise<{handle: fs.promises.FileHandle; size: number} | {reason: string; replaced: boolean}> {
	let handle: fs.promises.FileHandle;
	try {
		handle = await fs.promises.open(
			file,
			fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK,
		);
	} catch (error) {
		return {
			reason: `cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
			replaced: false,
		};
	}
	try {
		const stat = await handle.stat();
		if (!stat.isFile()) {
			await handle.close();
			return {reason: 'not a regular file', replaced: false};
		}
		if (stat.ino !== expect.ino || stat.dev !== expect.dev) {
			await handle.close();
			return {reason: 'replaced by another file', replaced: true};
		}
		return {handle, size: stat.size};
	} catch (error) {
		await handle.close().catch(() => {});
		return {reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, replaced: false};
	}
}
