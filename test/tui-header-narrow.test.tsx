/**
 * The header at the documented minimum width (60 columns, ink-testing-library, the real Header and
 * store): when the short form is still too wide, the waiting count and the error count stay and the
 * least needed parts (the rate, then the totals) give way; the line never passes the width.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {render} from 'ink-testing-library';
import {Header} from '../source/tui/chrome/Header.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {hook, OTHER_SESSION, seq, T0} from './fixtures/view-sequences.js';
import {strip} from './helpers/tui-kit.js';

function headerLine(store: EventStore, width: number): string {
	const header = render(<Header snap={store.snapshot(T0 + 1000)} width={width} />);
	const line = strip(header.lastFrame() ?? '');
	header.unmount();
	return line;
}

test('60 columns, reconnecting: 1 wait and 1 err stay; the rate goes first', () => {
	const store = new EventStore(1000, 1 << 20);
	const done = (i: number) =>
		hook('PostToolUse', {
			session_id: OTHER_SESSION,
			tool_name: 'Read',
			tool_use_id: `t${i}`,
			tool_input: {file_path: '/x'},
			tool_response: {},
		});
	store.append(
		seq(
			[0, hook('PermissionRequest', {tool_name: 'Bash', tool_input: {command: 'ls'}})],
			[10, hook('StopFailure', {session_id: OTHER_SESSION, error: 'rate_limit'})],
			...Array.from({length: 23}, (_, i): [number, ReturnType<typeof hook>] => [20 + i, done(i)]),
		),
		T0 + 100,
	);
	store.setLink({status: 'reconnecting', address: 'http://127.0.0.1:18219', attempt: 3});
	// Wide enough, every part, in order.
	assert.equal(
		headerLine(store, 100).trimEnd(),
		'◌ reconnecting (attempt 3) 127.0.0.1:18219 │ 1 waiting │ 2 sessions │ 25 events │ 25/min │ 1 error',
	);
	const line = headerLine(store, 60);
	assert.ok(stringWidth(line) <= 60, line);
	assert.equal(line.trimEnd(), '◌ reconnecting (attempt 3) :18219 1 wait 2 ses 25 ev 1 err');
	// Narrower still: the totals go before the waiting and the errors.
	assert.equal(headerLine(store, 46).trimEnd(), '◌ reconnecting (attempt 3) :18219 1 wait 1 err');
});
