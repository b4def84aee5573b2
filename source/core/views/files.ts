/**
 * Files view: which files the tools touched. From `tool_input.file_path` / `notebook_path` /
 * `path` of Read, Write, Edit, MultiEdit, NotebookEdit, Grep, Glob and LS. Each tool call counts
 * once (at its PreToolUse, or at its end when the Pre never arrived); a failed call still counts
 * as touched and is also counted in `failures`. Grep / Glob / LS without a `path` search the
 * cwd and are not counted. A path only ever searched (Grep / Glob / LS `path`) is a directory,
 * not a file, unless it names one (a Grep on `src/app.ts`: its last part has an extension); a
 * path read, written or edited is a file.
 */
import type {EventRecord} from '../record.js';
import {
	agentKeyOf,
	agentTypeOf,
	cwdOf,
	sessionOf,
	str,
	toolInputOf,
	toolNameOf,
	toolUseIdOf,
} from './fields.js';
import {absoluteKey, relativeTo} from './paths.js';
import {trimMap} from './bounded.js';
import type {AgentTypes} from './agent-types.js';

export type FileOp = 'read' | 'write' | 'edit' | 'search';

export interface FileEntry {
	/** Absolute, normalized path: the key. */
	path: string;
	/** Relative to the cwd of the session that last touched it, when under it; else absolute. */
	display: string;
	/** The cwd of the session that last touched it (null when its events named none). */
	cwd: string | null;
	/** Only searched in (Grep / Glob / LS `path`), and a directory rather than a file. */
	directory: boolean;
	reads: number;
	writes: number;
	edits: number;
	searches: number;
	failures: number;
	lastOp: FileOp;
	lastTool: string;
	lastTouched: number;
	/** The agent that last touched it: `main` or an agent id. */
	lastAgent: string;
	/** That agent's type (`Explore`…), when known; null for `main`. */
	lastAgentType: string | null;
	sessions: string[];
}

export interface FilesOptions {
	maxFiles?: number;
	/** Names the last agent by type when its own records do not. */
	agentTypes?: AgentTypes;
}

const OPS: Record<string, FileOp> = {
	Read: 'read',
	NotebookRead: 'read',
	Write: 'write',
	Edit: 'edit',
	MultiEdit: 'edit',
	NotebookEdit: 'edit',
	Grep: 'search',
	Glob: 'search',
	LS: 'search',
};

const COUNTED_LIMIT = 50_000;

interface Entry extends Omit<FileEntry, 'sessions' | 'display' | 'directory'> {
	sessions: Set<string>;
	/** Read, written or edited, or searched by a path that names a file. */
	file: boolean;
}

/** A last part with an extension (`app.ts`, not `src` or `.github`). */
const NAMES_A_FILE = /[^/\\.][^/\\]*\.[^./\\]+$/;

export function fileOpOf(tool: string | null): FileOp | null {
	return tool !== null && Object.hasOwn(OPS, tool) ? OPS[tool] : null;
}

export class FilesView {
	readonly maxFiles: number;
	private files = new Map<string, Entry>();
	/** tool_use_ids already counted → the file key, so a Pre and its Post count once. */
	private counted = new Map<string, string>();

	private readonly agentTypes: AgentTypes | null;

	constructor(options: FilesOptions = {}) {
		this.maxFiles = options.maxFiles ?? 20_000;
		this.agentTypes = options.agentTypes ?? null;
	}

	apply(rec: EventRecord, t: number): void {
		const isPre = rec.type === 'PreToolUse';
		const isEnd = rec.type === 'PostToolUse' || rec.type === 'PostToolUseFailure';
		if (!isPre && !isEnd) return;
		const tool = toolNameOf(rec);
		const op = fileOpOf(tool);
		if (op === null) return;
		const input = toolInputOf(rec);
		const named = input === null ? null : (str(input.file_path) ?? str(input.notebook_path));
		const raw = named ?? (input === null ? null : str(input.path));
		if (raw === null) return;
		const isFile = op !== 'search' || named !== null || (tool === 'Grep' && NAMES_A_FILE.test(raw));
		const cwd = cwdOf(rec);
		const key = absoluteKey(raw, cwd);
		const id = toolUseIdOf(rec);
		const failed = rec.type === 'PostToolUseFailure' || rec.payload.success === false;
		if (id !== null && this.counted.has(id)) {
			const counted = this.files.get(this.counted.get(id)!);
			if (failed && counted !== undefined) counted.failures++;
			return;
		}
		if (isEnd && id === null) {
			// A claude-mpm end without an id: its start was counted at the Pre.
			const counted = this.files.get(key);
			if (counted !== undefined) {
				if (failed) counted.failures++;
				return;
			}
		}
		if (id !== null) {
			this.counted.set(id, key);
			trimMap(this.counted, COUNTED_LIMIT, () => true);
		}
		let entry = this.files.get(key);
		if (entry === undefined) {
			entry = {
				path: key,
				reads: 0,
				writes: 0,
				edits: 0,
				searches: 0,
				failures: 0,
				lastOp: op,
				lastTool: tool!,
				lastTouched: t,
				lastAgent: 'main',
				lastAgentType: null,
				cwd,
				sessions: new Set(),
				file: isFile,
			};
			this.files.set(key, entry);
			this.evict();
		} else {
			this.files.delete(key);
			this.files.set(key, entry);
		}
		if (op === 'read') entry.reads++;
		else if (op === 'write') entry.writes++;
		else if (op === 'edit') entry.edits++;
		else entry.searches++;
		if (failed) entry.failures++;
		if (isFile) entry.file = true;
		if (t >= entry.lastTouched) {
			entry.lastOp = op;
			entry.lastTool = tool!;
			entry.lastTouched = t;
			entry.lastAgent = agentKeyOf(rec);
			entry.lastAgentType = agentTypeOf(rec);
			if (cwd !== null) entry.cwd = cwd;
		}
		const session = sessionOf(rec);
		if (session !== null) entry.sessions.add(session);
	}

	/** Snapshot, most recently touched first. */
	snapshot(): FileEntry[] {
		const rows: FileEntry[] = [];
		for (const e of this.files.values()) {
			rows.push({
				path: e.path,
				display: relativeTo(e.path, e.cwd),
				cwd: e.cwd,
				directory: !e.file,
				reads: e.reads,
				writes: e.writes,
				edits: e.edits,
				searches: e.searches,
				failures: e.failures,
				lastOp: e.lastOp,
				lastTool: e.lastTool,
				lastTouched: e.lastTouched,
				lastAgent: e.lastAgent,
				lastAgentType: e.lastAgentType ?? this.agentTypes?.typeOf(e.lastAgent) ?? null,
				sessions: [...e.sessions],
			});
		}
		return rows.sort((a, b) => b.lastTouched - a.lastTouched);
	}

	get size(): number {
		return this.files.size;
	}

	reset(): void {
		this.files.clear();
		this.counted.clear();
	}

	/** Keeps at most `maxFiles` (trimmed to 90% when passed): the least recently touched go (the map is kept in touch order). */
	private evict(): void {
		trimMap(this.files, this.maxFiles, () => true);
	}
}
