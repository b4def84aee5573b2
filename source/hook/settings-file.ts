/**
 * Reading and writing a Claude Code settings file for the hooks installer: parse errors with line
 * and column, the file's own indentation kept, atomic replace (temp file + rename) after a backup,
 * symlinked settings written through to their target.
 */
import fs from 'node:fs';
import path from 'node:path';
import {jsonErrorOffset} from '../core/json-error.js';

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

export function readSettings(file: string): SettingsText {
	let raw: string;
	try {
		raw = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {path: file, exists: false, text: '', value: {}, indent: '  ', bom: false};
		throw new SettingsFileError(`cannot read ${file}: ${(error as Error).message}`);
	}
	const bom = raw.startsWith('\uFEFF');
	const text = bom ? raw.slice(1) : raw;
	if (text.trim() === '') return {path: file, exists: true, text: raw, value: {}, indent: '  ', bom};
	try {
		return {path: file, exists: true, text: raw, value: JSON.parse(text) as unknown, indent: detectIndent(text), bom};
	} catch (error) {
		const offset = jsonErrorOffset(text);
		const where = offset >= 0 ? lineColumn(text, offset) : undefined;
		const at = where ? ` at line ${where.line}, column ${where.column}` : '';
		throw new SettingsFileError(`${file} is not valid JSON${at} (${(error as Error).message}); left untouched`);
	}
}

/** The text we would write: same indentation as the file, newline at the end. */
export function formatSettings(value: unknown, previous: Pick<SettingsText, 'indent' | 'bom'>): string {
	return `${previous.bom ? '\uFEFF' : ''}${JSON.stringify(value, null, previous.indent)}\n`;
}

/**
 * Replaces the file atomically: the old content goes to `<file>.bak-mpm-tui` first, the new one to
 * a temp file in the same directory that is then renamed over the file (keeping its mode).
 */
export function writeSettingsAtomic(file: string, text: string): {written: string; backup: string | null} {
	let target = file;
	try {
		if (fs.lstatSync(file).isSymbolicLink()) target = fs.realpathSync(file);
	} catch {
		// Missing: created below.
	}
	const dir = path.dirname(target);
	fs.mkdirSync(dir, {recursive: true});
	let mode = 0o644;
	let backup: string | null = null;
	if (fs.existsSync(target)) {
		mode = fs.statSync(target).mode & 0o777;
		backup = `${file}${BACKUP_SUFFIX}`;
		fs.copyFileSync(target, backup);
	}
	const temp = path.join(dir, `.${path.basename(target)}.tmp-mpm-tui-${process.pid}`);
	try {
		fs.writeFileSync(temp, text, {mode});
		fs.chmodSync(temp, mode);
		fs.renameSync(temp, target);
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw new SettingsFileError(`cannot write ${target}: ${(error as Error).message}`);
	}
	return {written: target, backup};
}
