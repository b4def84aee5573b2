/** The package version, read once from package.json next to dist/ or source/. */
import {readFileSync} from 'node:fs';

function readVersion(): string {
	try {
		const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
		const version = (JSON.parse(text) as {version?: unknown}).version;
		return typeof version === 'string' ? version : '0.0.0';
	} catch {
		return '0.0.0';
	}
}

export const VERSION = readVersion();
