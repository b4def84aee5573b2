/**
 * Backspace on the filter and search lines deletes one character as the eye sees it: a whole emoji
 * sequence (skin tone, ZWJ family, flag) or a letter with its combining accent, never half of one.
 * Driven through the real reducer with the keys Ink reports.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {reducer} from '../source/tui/app/reducer.js';
import {initialState} from '../source/tui/app/ui-state.js';

const press = (state: ReturnType<typeof initialState>, input: string, key: Record<string, boolean> = {}) =>
	reducer(state, {type: 'key', input, key, exportPath: () => 'x.ndjson'} as never);

test('backspace takes the last whole character off the filter line', () => {
	let state = press(initialState({rows: 24, width: 100}), 'f');
	assert.equal(state.mode, 'filter');
	for (const [typed, left] of [
		['ok 👍🏽', 'ok '],
		['a👨‍👩‍👧', 'a'],
		['x🇯🇵', 'x'],
		['cafe\u0301', 'caf'],
		['✅', ''],
	] as const) {
		state = press(state, typed);
		state = press(state, '', {backspace: true});
		assert.equal(state.filter.input, left, `after ${JSON.stringify(typed)}`);
		while (state.filter.input !== '') state = press(state, '', {backspace: true});
	}
});
