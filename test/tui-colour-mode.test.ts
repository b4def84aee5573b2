/**
 * How the monitor paints (commands/colour-mode.ts) by the environment, with Node's own
 * `getColorDepth` reading the terminal: CI never decides; NO_COLOR (non-empty) drops colour but
 * keeps styles; FORCE_COLOR wins; TERM=dumb gets nothing.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import tty from 'node:tty';
import {colourMode} from '../source/commands/colour-mode.js';

const depth = (env: Record<string, string | undefined>) =>
	tty.WriteStream.prototype.getColorDepth.call(process.stdout, env);

test('colour follows the terminal, NO_COLOR and FORCE_COLOR, not CI', () => {
	const cases: Array<[Record<string, string>, string]> = [
		[{TERM: 'xterm-256color'}, '2 full'],
		[{TERM: 'xterm-256color', CI: 'false'}, '2 full'],
		[{TERM: 'xterm-256color', CI: 'true'}, '2 full'],
		[{TERM: 'xterm-256color', CI: '0', CONTINUOUS_INTEGRATION: '1'}, '2 full'],
		[{TERM: 'xterm', COLORTERM: 'truecolor', CI: 'true'}, '3 full'],
		[{TERM: 'xterm-256color', NO_COLOR: '1'}, '2 no-colour'],
		[{TERM: 'xterm-256color', NO_COLOR: ''}, '2 full'],
		[{TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '1'}, '1 full'],
		[{TERM: 'xterm-256color', FORCE_COLOR: '0'}, '0 plain'],
		[{TERM: 'xterm-256color', FORCE_COLOR: 'false', CI: 'false'}, '0 plain'],
		[{TERM: 'dumb'}, '0 plain'],
		[{TERM: 'dumb', NO_COLOR: '1'}, '0 plain'],
		[{TERM: 'dumb', FORCE_COLOR: '3'}, '3 full'],
	];
	for (const [env, expected] of cases) {
		const mode = colourMode(env, depth);
		assert.equal(`${mode.level} ${mode.paint}`, expected, JSON.stringify(env));
	}
});
