/**
 * Reading and writing a Claude Code settings file for the hooks installer: parse errors with line
 * and column, the file's own indentation kept, atomic replace (temp file + rename) after a backup,
 * symlinked settings written through to their target. The backup (`<file>.bak-mpm-tui`) holds the
 * file as it was before mpm-tui's hooks went in: the caller says when to write it and when to keep
 * it, so an uninstall can give back the original bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import {JSON_MAX_DEPTH, jsonDepthOffset, jsonErrorOffset} from '../core/json-error.js';

export const BACKUP_SUFFIX = '.bak-mpm-tui';

export class SettingsFileError extends Error {}

export interface SettingsText {
	path: string;
	/** False when the file does not exist yet (it will be created). */
	exists: boolean;
	/** The file as read ('' when missing). */
	text: string;
	/** Parsed content ({} when missing or empty). */
	value: unknown;
	indent: string;
	bom: boolean;
}

/** Line and column (1-based) of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): {line: number; column: number} {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	return {line, column: offset - before.lastIndexOf('\n')};
}

function detectIndent(text: string): string {
	const match = /^[{[][^\S\n]*\r?\n([ \t]+)\S/.exec(text);
	return match ? match[1] : '  ';
}

/** The file's text; a FIFO or device (a repository can hold one) is refused without waiting on it. */
function readText(file: string): string | null {
	let fd: number;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw new SettingsFileError(`cannot read ${file}: ${(error as Error).message}`);
	}
	try {
		if (!fs.fstatSync(fd).isFile())
			throw new SettingsFileError(`${file} is not a regular file; left untouched`);
		return fs.readFileSync(fd, 'utf8');
	} catch (error) {
		if (error instanceof SettingsFileError) throw error;
		throw new SettingsFileError(`cannot read ${file}: ${(error as Error).message}`);
	} finally {
		fs.closeSync(fd);
	}
}

export function readSettings(file: string): SettingsText {
	const raw = readText(file);
	if (raw === null) return {path: file, exists: false, text: '', value: {}, indent: '  ', bom: false};
	const bom = raw.startsWith('\uFEFF');
	const text = bom ? raw.slice(1) : raw;
	if (text.trim() === '') return {path: file, exists: true, text: raw, value: {}, indent: '  ', bom};
	let value: unknown;
	try {
		value = JSON.parse(text) as unknown;
	} catch (error) {
		const offset = jsonErrorOffset(text);
		const where = offset >= 0 ? lineColumn(text, offset) : undefined;
		const at = where ? ` at line ${where.line}, column ${where.column}` : '';
		throw new SettingsFileError(
			`${file} is not valid JSON${at} (${(error as Error).message}); left untouched`,
		);
	}
	// Parsed, but too deep for the code that merges and re-serialises it (a stack overflow otherwise).
	const deep = jsonDepthOffset(text);
	if (deep >= 0) {
		const where = lineColumn(text, deep);
		throw new SettingsFileError(
			`${file} nests objects and arrays more than ${JSON_MAX_DEPTH} deep at line ${where.line}, column ${where.column}; no settings file needs that: left untouched`,
		);
	}
	return {path: file, exists: true, text: raw, value, indent: detectIndent(text), bom};
}

/** The text we would write: same indentation as the file, newline at the end. */
export function formatSettings(value: unknown, previous: Pick<SettingsText, 'indent' | 'bom'>): string {
	return `${previous.bom ? '\uFEFF' : ''}${JSON.stringify(value, null, previous.indent)}\n`;
}

export function backupPath(file: string): string {
	return `${file}${BACKUP_SUFFIX}`;
}

export interface Backup {
	path: string;
	bytes: Buffer;
	/** Its parsed content, or undefined when it is not JSON (then it is never restored). */
	value: unknown;
}

/** The backup next to `file`, if there is one that is a regular file. */
export function readBackup(file: string): Backup | null {
	const where = backupPath(file);
	let bytes: Buffer;
	try {
		if (!fs.lstatSync(where).isFile()) return null;
		bytes = fs.readFileSync(where);
	} catch {
		return null;
	}
	let text = bytes.toString('utf8');
	if (text.startsWith('\uFEFF')) text = text.slice(1);
	let value: unknown;
	try {
		value = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
	} catch {
		value = undefined;
	}
	return {path: where, bytes, value};
}

/**
 * Writes `data` to `target` by a temp file in the same directory renamed over it. The temp file is
 * created exclusively, and the rename replaces a link itself: nothing is written through a link
 * someone put at either name.
 */
function replaceFile(target: string, data: string | Uint8Array, mode: number): void {
	const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp-mpm-tui-${process.pid}`);
	try {
		fs.rmSync(temp, {force: true});
		fs.writeFileSync(temp, data, {mode, flag: 'wx'});
		fs.chmodSync(temp, mode);
		fs.renameSync(temp, target);
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw new SettingsFileError(`cannot write ${target}: ${(error as Error).message}`);
	}
}

/** Links followed from a settings path before giving up (the kernel's own limit). */
const MAX_LINKS = 40;

/**
 * The file a settings path stands for: a symlinked settings file is written through to its target,
 * followed link by link, so a link to a file that does not exist yet (dotfiles not yet written)
 * creates that file rather than replacing the link. Such a target's directory must exist: the
 * installer does not create directories at the far end of a link.
 */
function resolveTarget(file: string): {target: string; linked: boolean} {
	let current = file;
	for (let hop = 0; hop <= MAX_LINKS; hop++) {
		let stat: fs.Stats;
		try {
			stat = fs.lstatSync(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
				throw new SettingsFileError(`cannot read ${current}: ${(error as Error).message}`);
			// Missing: created (at the end of the links, when there are any).
			return {target: current, linked: current !== file};
		}
		if (!stat.isSymbolicLink()) return {target: current, linked: current !== file};
		current = path.resolve(path.dirname(current), fs.readlinkSync(current));
	}
	throw new SettingsFileError(`${file}: more than ${MAX_LINKS} symbolic links in a row; left untouched`);
}

/** `write`: the file as it is now becomes the backup first; `keep`: an existing backup is left as it is. */
export type BackupPolicy = 'write' | 'keep';

/** A file nobody may write (no write bit; root ignores modes, so the bits decide), or that we may not. */
function readOnly(target: string, mode: number): boolean {
	if ((mode & 0o222) === 0) return true;
	try {
		fs.accessSync(target, fs.constants.W_OK);
		return false;
	} catch {
		return true;
	}
}

/**
 * Replaces the file atomically (temp file + rename, keeping its mode). With `backup: 'write'` the
 * current content goes to `<file>.bak-mpm-tui` first (when there is a file). A read-only file (a
 * user's `chmod 444` to pin it) is refused: the rename would replace it all the same, since it
 * needs only a writable directory. `force` writes it anyway (it stays read-only), and says so.
 */
export function writeSettingsAtomic(
	file: string,
	content: string | Uint8Array,
	backup: BackupPolicy,
	force = false,
): {written: string; backup: string | null; readOnly: boolean} {
	const {target, linked} = resolveTarget(file);
	if (!linked) fs.mkdirSync(path.dirname(target), {recursive: true});
	else if (!fs.existsSync(path.dirname(target)))
		throw new SettingsFileError(
			`${file} is a symbolic link to ${target}, whose directory does not exist: create it (or remove the link) and run again; left untouched`,
		);
	let mode = 0o644;
	let written: string | null = null;
	let locked = false;
	if (fs.existsSync(target)) {
		mode = fs.statSync(target).mode & 0o777;
		locked = readOnly(target, mode);
		if (locked && !force)
			throw new SettingsFileError(
				`${target} is read-only (mode ${mode.toString(8).padStart(4, '0')}): left untouched. Make it writable (chmod u+w), or pass --force to replace it anyway (it stays read-only)`,
			);
		if (backup === 'write') {
			written = backupPath(file);
			let current: Buffer;
			try {
				current = fs.readFileSync(target);
			} catch (error) {
				throw new SettingsFileError(`cannot read ${target}: ${(error as Error).message}`);
			}
			replaceFile(written, current, mode);
		}
	}
	replaceFile(target, content, mode);
	return {written: target, backup: written, readOnly: locked};
}

/** Removes the backup (after the file was given back its bytes). */
export function removeBackup(file: string): void {
	fs.rmSync(backupPath(file), {force: true});
}

/** True when the settings path is a symbolic link (to a dotfiles repository, say). */
export function isLink(file: string): boolean {
	try {
		return fs.lstatSync(file).isSymbolicLink();
	} catch {
		return false;
	}
}

/** Removes a settings file that mpm-tui created and that holds nothing else; a read-only one only with `force`, as for a write. */
export function removeSettings(file: string, force = false): void {
	let mode: number;
	try {
		mode = fs.statSync(file).mode & 0o777;
	} catch {
		return; // Gone already.
	}
	if (readOnly(file, mode) && !force)
		throw new SettingsFileError(
			`${file} is read-only (mode ${mode.toString(8).padStart(4, '0')}): left untouched. Make it writable (chmod u+w), or pass --force to remove it anyway`,
		);
	fs.rmSync(file, {force: true});
}
