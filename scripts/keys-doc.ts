/**
 * docs/keys.md's key tables and status words, written from the key table (source/tui/keys) and
 * the tabs' legends: `npm run docs:keys` rewrites the part between the markers;
 * test/docs-keys.test.ts checks that it is up to date.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {keySections} from '../source/tui/keys/key-sections.js';
import {tabs} from '../source/tui/tabs/registry.js';
import {chromeLegend} from '../source/tui/chrome/chrome-legend.js';

export const KEYS_START =
	'<!-- keys:start (written by npm run docs:keys from source/tui/keys/bindings.ts and each tab) -->';
export const KEYS_END = '<!-- keys:end -->';
export const KEYS_DOC = fileURLToPath(new URL('../docs/keys.md', import.meta.url));

/** A cell of a markdown table: pipes escaped. */
const cell = (text: string) => text.replaceAll('|', '\\|');
/** `j / k` → `` `j` / `k` `` (a key or a pair). */
const code = (keys: string) =>
	keys
		.split(' / ')
		.map((key) => `\`${cell(key)}\``)
		.join(' / ');

export function keysMarkdown(): string {
	const out: string[] = [];
	for (const section of keySections()) {
		out.push(`## ${section.title.replace('(?)', '(`?`)')}`, '', '| key | does |', '|---|---|');
		for (const row of section.rows) {
			const when = row.when ? ` (${row.when})` : '';
			const more = row.more ? `; ${row.more}` : '';
			out.push(`| ${row.keys.map(code).join(', ')} | ${cell(row.description + when + more)} |`);
		}
		out.push('');
	}
	out.push(
		'## Status words and marks',
		'',
		'What the `?` help lists for each tab ([usage.md](usage.md#status-words) says more).',
		'',
	);
	for (const tab of tabs) {
		if (!tab.legend) continue;
		out.push(`### ${tab.title}`, '', '| shown | means |', '|---|---|');
		for (const [shown, meaning] of tab.legend) out.push(`| \`${cell(shown)}\` | ${cell(meaning)} |`);
		out.push('');
	}
	out.push('### Header and tab bar', '', '| shown | means |', '|---|---|');
	for (const [shown, meaning] of chromeLegend) out.push(`| \`${cell(shown)}\` | ${cell(meaning)} |`);
	out.push('');
	for (const tab of tabs) {
		if (!tab.labels) continue;
		out.push(`### ${tab.title}: ${tab.labels.title}`, '', '| shown | stands for |', '|---|---|');
		for (const [shown, meaning] of tab.labels.lines) out.push(`| \`${cell(shown)}\` | ${cell(meaning)} |`);
		out.push('');
	}
	return out.join('\n');
}

/** docs/keys.md with its generated part replaced by `body`. */
export function withKeys(doc: string, body: string): string {
	const start = doc.indexOf(KEYS_START);
	const end = doc.indexOf(KEYS_END);
	if (start < 0 || end < start) throw new Error(`docs/keys.md has no ${KEYS_START} … ${KEYS_END} part`);
	return `${doc.slice(0, start + KEYS_START.length)}\n\n${body}\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const doc = readFileSync(KEYS_DOC, 'utf8');
	const next = withKeys(doc, keysMarkdown());
	if (next !== doc) writeFileSync(KEYS_DOC, next);
	console.log(next === doc ? 'docs/keys.md is up to date' : 'docs/keys.md written');
}
