/**
 * Colour settings in a real terminal (tmux): the built monitor replays a recording of two
 * sessions and each tab is captured with its escape sequences (`capture-pane -e` keeps SGR).
 * Colour follows the terminal, NO_COLOR and FORCE_COLOR — not CI — and the cursor row is found on
 * every tab in every case (its `›` gutter; inverse where styles are allowed).
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cliPath, Tmux, type Pane} from './helpers/tmux-kit.js';
import {demoRecords} from './helpers/tui-kit.js';

const tmux = new Tmux();
const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-colour-'));
const recording = path.join(dir, 'two-sessions.ndjson');

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
	const records = demoRecords(80);
	assert.equal(new Set(records.map((r) => r.session)).size, 2, 'the recording has two sessions');
	writeFileSync(recording, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

after(() => {
	tmux.kill();
	rmSync(dir, {recursive: true, force: true});
});

const sgrPattern = /\u001B\[([\d;]*)m/g;

const stripSgr = (text: string) => text.replace(/\u001B\[[\d;]*m/g, '');

/** The SGR attributes a text sets, by kind: a colour (foreground or background, any palette) or a style (bold, dim, italic, underline, inverse). */
function sgrKinds(text: string): {colours: number; styles: Set<number>} {
	let colours = 0;
	const styles = new Set<number>();
	for (const match of text.matchAll(sgrPattern)) {
		const codes = match[1] === '' ? [0] : match[1].split(';').map(Number);
		for (let i = 0; i < codes.length; i++) {
			const code = codes[i];
			if (code === 38 || code === 48) {
				colours++;
				i += codes[i + 1] === 5 ? 2 : 4;
			} else if (
				(code >= 30 && code <= 37) ||
				(code >= 40 && code <= 47) ||
				(code >= 90 && code <= 97) ||
				(code >= 100 && code <= 107)
			)
				colours++;
			else if ([1, 2, 3, 4, 7].includes(code)) styles.add(code);
		}
	}
	return {colours, styles};
}

function captureStyled(pane: Pane): string {
	return tmux.run('capture-pane', '-p', '-e', '-t', pane.target);
}

/** Each tab, known by its title line. */
const tabTitles: ReadonlyArray<[key: string, name: string, title: RegExp]> = [
	['2', 'Tools', /^ +(sess +)?(time +)?tool +target /],
	['3', 'Agents', /^ +(sess +)?type +task /],
	['4', 'Files', /^ +path /],
	['5', 'Sessions', /^ +state +session /],
	['1', 'Events', /^ +time +session +type /],
];

type Expect = 'colour' | 'styles only' | 'nothing';

const cases: ReadonlyArray<[name: string, env: Record<string, string>, expect: Expect]> = [
	['CI=false', {CI: 'false', TERM: 'xterm-256color'}, 'colour'],
	['CI=0', {CI: '0', TERM: 'xterm-256color'}, 'colour'],
	['NO_COLOR=1', {CI: 'false', TERM: 'xterm-256color', NO_COLOR: '1'}, 'styles only'],
	['FORCE_COLOR=0', {CI: 'false', TERM: 'xterm-256color', FORCE_COLOR: '0'}, 'nothing'],
	['TERM=dumb', {CI: 'false', TERM: 'dumb'}, 'nothing'],
];

describe('colour settings in a terminal', () => {
	for (const [name, extra, expect] of cases) {
		it(`${name}: ${expect === 'colour' ? 'colours and an inverse cursor' : expect === 'styles only' ? 'no colour, an inverse cursor' : 'no styling'}; the cursor row marked on every tab`, async () => {
			const env = {
				MPM_TUI_STATE_DIR: dir,
				HOME: dir,
				NODE_ENV: 'production',
				PATH: process.env.PATH ?? '',
				...extra,
			};
			const pane = tmux.open(
				name.replace(/\W/g, '-'),
				[process.execPath, cliPath, '--replay', recording, '--speed', '1000'],
				env,
				{columns: 80, rows: 24},
			);
			await pane.waitFor((s) => s.includes('replay finished: 80 events'), 'the whole recording', 15_000);
			for (const [key, tabName, title] of tabTitles) {
				pane.keys(key);
				await pane.waitFor((s) => title.test(s.split('\n')[2] ?? ''), `the ${tabName} tab`);
				const styled = captureStyled(pane).replace(/\n$/, '').split('\n');
				const plain = styled.map(stripSgr);
				const cursorRows = plain.slice(3, -1).flatMap((line, i) => (line.startsWith('›') ? [i + 3] : []));
				assert.equal(cursorRows.length, 1, `${tabName}: one row marked › in\n${plain.join('\n')}`);
				const cursorLine = styled[cursorRows[0]];
				const all = sgrKinds(styled.join('\n'));
				const activeTab = plain[1];
				if (expect === 'nothing') {
					assert.equal(all.colours, 0, `${tabName}: no colour`);
					assert.deepEqual([...all.styles], [], `${tabName}: no style`);
					assert.match(
						activeTab,
						new RegExp(`\\[${key} ${tabName}\\]`),
						`${tabName}: the tab on screen in brackets`,
					);
				} else {
					assert.ok(
						sgrKinds(cursorLine).styles.has(7),
						`${tabName}: the cursor row is inverse: ${JSON.stringify(cursorLine)}`,
					);
					assert.ok(all.styles.has(1), `${tabName}: bold is drawn`);
					if (expect === 'colour') assert.ok(all.colours > 0, `${tabName}: colours are drawn`);
					else
						assert.equal(
							all.colours,
							0,
							`${tabName}: no colour: ${JSON.stringify(styled.filter((l) => sgrKinds(l).colours > 0))}`,
						);
				}
			}
			pane.keys('q');
			assert.equal(await pane.waitExit(), 0);
		});
	}
});
