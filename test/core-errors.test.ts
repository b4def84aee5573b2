/**
 * core/errors.ts: the one definition of an error, over one example of every hook event Claude
 * Code documents, claude-mpm's failed post_tool, and names Claude Code does not document.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {apiErrorWords, errorKindOf, isErrorEvent} from '../source/core/errors.js';
import {hookEvents, interruptedBash} from './fixtures/hook-payloads.js';
import {rec} from './fixtures/view-sequences.js';

test('of the documented events, only a failed call, a denied one and a failed turn are errors', () => {
	const kinds = new Map<string, string | null>();
	for (const [name, payload] of Object.entries(hookEvents)) kinds.set(name, errorKindOf(rec(payload, 0)));
	assert.deepEqual([...kinds].filter(([, kind]) => kind !== null).sort(), [
		['PermissionDenied', 'denied'],
		['PostToolUseFailure', 'tool'],
		['StopFailure', 'api'],
	]);
	assert.equal(kinds.size, 31, 'every documented event was tried');
	assert.equal(isErrorEvent(rec(interruptedBash, 0)), false, 'a call the user interrupted is not an error');
	assert.equal(
		errorKindOf({type: 'PostToolUse', payload: {success: false, error: 'exit 1'}}),
		'tool',
		"claude-mpm's failed post_tool",
	);
	assert.equal(
		errorKindOf({type: 'Notification', payload: {notification_type: 'permission_prompt', error: 'x'}}),
		null,
		'a documented event is judged by its type, not by its fields',
	);
	assert.equal(errorKindOf({type: 'SubagentStop', payload: {error: 'x'}}), null);
});

test('events Claude Code does not document: an error when the name says so or an error field is set', () => {
	assert.equal(errorKindOf({type: 'mpm:system.error', payload: {}}), 'other');
	assert.equal(errorKindOf({type: 'ToolValidationFailure', payload: {}}), 'other');
	assert.equal(
		errorKindOf({type: 'mpm:hook.hook_execution', payload: {success: false, error: 'hook crashed'}}),
		'other',
	);
	for (const error of [undefined, null, false, ''])
		assert.equal(errorKindOf({type: 'SomethingNew', payload: {error}}), null, String(error));
	for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
		assert.equal(errorKindOf({type, payload: {}}), null, type);
});

test('StopFailure error codes in words', () => {
	assert.equal(apiErrorWords('rate_limit'), 'rate limited');
	assert.equal(apiErrorWords('billing_error'), 'billing error');
	assert.equal(apiErrorWords('max_output_tokens'), 'output token limit reached');
	assert.equal(apiErrorWords('a_new_code'), 'a new code');
	assert.equal(
		apiErrorWords('toString'),
		'toString',
		"a name that looks like JavaScript's own is a plain value",
	);
	assert.equal(apiErrorWords(undefined), 'API error');
	assert.equal(apiErrorWords({}), 'API error');
	assert.equal(apiErrorWords('x'.repeat(500)).length, 60);
});
