/**
 * Every mark and word the header and the tab bar can show is in the `?` help and docs/keys.md:
 * the real Header and TabBar are rendered (ink-testing-library) in each link state, with a scope,
 * a filter, a waiting session, errors and a server problem, at a wide and a narrow width; each
 * glyph-led word drawn must be named by a line of the help's Header section, and that line must be
 * in docs/keys.md.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import React from 'react';
import {render} from 'ink-testing-library';
import {Header} from '../source/tui/chrome/Header.js';
import {TabBar} from '../source/tui/chrome/TabBar.js';
import {EventStore, type LinkInfo} from '../source/tui/event-store/event-store.js';
import {helpLines} from '../source/tui/help/help-lines.js';
import {tabs} from '../source/tui/tabs/registry.js';
import {seq, hook} from './fixtures/view-sequences.js';

const strip = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** The Header section of the help, as shown (left column) at 100 columns. */
function helpHeaderWords(): string[] {
	const lines = helpLines('events', 100);
	const start = lines.findIndex((l) => l.kind === 'heading' && l.text === 'Header: status words');
	assert.ok(start >= 0, 'the help has a Header section');
	const out: string[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line.kind === 'heading') break;
		if (line.kind === 'row') out.push(line.left);
		// A mark too wide for the key column takes a line of its own, its meaning the next (indented).
		else if (!line.text.startsWith(' ')) out.push(line.text);
	}
	return out;
}

test('the header and tab bar in every link state show only marks the help and docs/keys.md name', () => {
	const named = helpHeaderWords();
	const doc = readFileSync(new URL('../docs/keys.md', import.meta.url), 'utf8');
	for (const word of named) assert.ok(doc.includes(`\`${word}\``), `docs/keys.md names ${word}`);
	// Every word of the help's Header lines, with the `N` of a count taken off (`N/min` → `/min`).
	const tokens = new Set(
		named.flatMap((word) => word.split(/[ ,]+/)).map((token) => token.replace(/^N(?=\S)/, '')),
	);
	/** A drawn count (`2 sessions`, `1 error`, `0/min`, `3 ev`): its word, singular or plural, is in the help. */
	const countNamed = (part: string) => {
		const word = part.replace(/^[\d,]+ ?/, '');
		return tokens.has(word) || tokens.has(`${word}s`);
	};
	/** The link part (`◌ reconnecting (attempt 3) 127.0.0.1:8765`): its glyph and first word start a help line. */
	const linkNamed = (part: string) =>
		named.some((word) => word.startsWith(part.split(' ').slice(0, 2).join(' ')));
	const statuses: Array<Partial<LinkInfo>> = [
		{status: 'hosting', address: 'http://127.0.0.1:8765'},
		{status: 'connected', address: 'http://127.0.0.1:8765', note: '(claude-mpm)'},
		{status: 'starting', address: 'http://127.0.0.1:8765'},
		{status: 'connecting', address: 'http://127.0.0.1:8765'},
		{status: 'reconnecting', address: 'http://127.0.0.1:8765', attempt: 3},
		{status: 'unauthorized', address: 'http://127.0.0.1:8765'},
		{status: 'closed', address: 'http://127.0.0.1:8765'},
		{status: 'replay', address: 'two-sessions.ndjson', note: '×10'},
	] as Array<Partial<LinkInfo>>;
	let drawn = 0;
	for (const link of statuses) {
		for (const width of [120, 60]) {
			const store = new EventStore(1000, 1 << 20);
			store.append(
				seq(
					[0, hook('PermissionRequest', {tool_name: 'Bash', tool_input: {command: 'ls'}})],
					[10, hook('StopFailure', {error: 'rate_limit'})],
				),
				Date.now(),
			);
			store.setLink(link);
			store.setServerProblems(['journal cannot write (ENOSPC): free some space', 'second problem']);
			const header = render(<Header snap={store.snapshot(Date.now())} width={width} />);
			const line = strip(header.lastFrame() ?? '');
			header.unmount();
			// Wide, the parts are set apart by `│`; narrow, by a space: the link comes first either way.
			assert.ok(
				linkNamed(line.trim()),
				`${link.status} at ${width}: "${line}" starts with a line of the help's Header section`,
			);
			if (link.note === '(claude-mpm)' && width >= 100)
				assert.ok(line.includes('(claude-mpm)') && named.includes('(claude-mpm)'), line);
			assert.ok(
				line.includes('⚠') && named.some((word) => word.startsWith('⚠')),
				`the problem mark at ${width}: ${line}`,
			);
			// Each count: a number and its word (`2 sessions`, `1 err`, `0/min`); one the width cut (`1 er…`) is skipped.
			for (const match of line.matchAll(/(?<=^|[\s│])([\d,]+ ?\/?[a-z]+)(…)?(?=$|[\s│])/g)) {
				if (match[2]) continue;
				assert.ok(
					countNamed(match[1]),
					`"${match[1]}" (${link.status}, ${width} columns) is in the help's Header section: ${named.join(' | ')}`,
				);
				drawn++;
			}
		}
	}
	assert.ok(drawn > 20, `counts were drawn and checked (${drawn})`);
	// ink-testing-library's terminal is 100 columns: a wider bar would be cut by Ink, not by the TabBar.
	const bar = render(
		<TabBar
			tabs={tabs}
			active="events"
			width={100}
			scope="5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b"
			filter="is:error"
		/>,
	);
	const barLine = strip(bar.lastFrame() ?? '');
	bar.unmount();
	assert.match(barLine, /◆ session 5b1e0c9a/);
	assert.ok(named.includes('◆ session <id>') && named.includes('filter: <text>'), named.join(' | '));
	assert.match(barLine, /filter: is:error/);
});
