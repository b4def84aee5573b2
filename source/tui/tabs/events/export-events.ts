/**
 * `e`: writes the listed events to a file — a JSON array when the name ends in `.json`, else
 * NDJSON (one record per line, the `--server-only` format). Refuses to overwrite.
 */
import {promises as fs} from 'node:fs';
import path from 'node:path';
import type {EventRecord} from '../../../core/record.js';

export function defaultExportName(now: Date): string {
	const stamp = now
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replaceAll(':', '-');
	return `mpm-tui-export-${stamp}.ndjson`;
}

export async function exportEvents(
	file: string,
	records: readonly EventRecord[],
	cwd: string,
): Promise<string> {
	const target = path.resolve(
		cwd,
		file.startsWith('~/') ? path.join(process.env.HOME ?? '', file.slice(2)) : file,
	);
	const body = target.endsWith('.json')
		? `${JSON.stringify(records, null, 2)}\n`
		: records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
	try {
		await fs.writeFile(target, body, {flag: 'wx', mode: 0o600});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') throw new Error(`${target} already exists; choose another name`);
		if (code === 'ENOENT') throw new Error(`no such directory: ${path.dirname(target)}`);
		if (code === 'EACCES') throw new Error(`no permission to write ${target}`);
		throw error;
	}
	return target;
}
