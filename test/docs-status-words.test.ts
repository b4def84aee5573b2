/**
 * docs/usage.md says what the screen shows, word for word: every status word and mark the
 * Tools, Agents and Sessions tabs (and their `?` legend) show, why a session waits, why a call
 * is interrupted, and StopFailure's codes in words, are quoted in its "Status words" section; every
 * short label the Events type column can show is in the `?` legend, docs/keys.md and usage.md.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {apiErrorWords} from '../source/core/errors.js';
import {SHORT_LABELS} from '../source/core/event-types.js';
import {interruptText, type InterruptCause} from '../source/core/views/index.js';
import {tabs} from '../source/tui/tabs/registry.js';
import {sessionStateText, waitWords} from '../source/tui/tabs/sessions/session-state.js';

/** Each tab's legend as the `?` help lists it. */
const legends = tabs.flatMap((tab) => (tab.legend ? [{title: tab.title, lines: tab.legend}] : []));

const usage = readFileSync(new URL('../docs/usage.md', import.meta.url), 'utf8');
const start = usage.indexOf('### Status words');
const end = usage.indexOf('\n### ', usage.indexOf('### What counts as an error'));
/** The section with its line breaks read as spaces (markdown does, inside a backtick span too). */
const section = usage.slice(start, end).replace(/\n(?!\*\*)/g, ' ');
const quoted = new Set([...section.matchAll(/`([^`]+)`/g)].map((m) => m[1]));

test('the Status words and What counts as an error sections exist', () => {
	assert.ok(start >= 0 && end > start, 'docs/usage.md has both sections');
});

test('every word of the ? legend is quoted, under its tab', () => {
	for (const legend of legends) {
		const from = section.indexOf(`**${legend.title}**`);
		assert.ok(from >= 0, `a **${legend.title}** part`);
		const next = section.indexOf('\n**', from + 2);
		const part = section.slice(from, next < 0 ? undefined : next);
		for (const [shown] of legend.lines)
			assert.ok(part.includes(`\`${shown}\``), `${legend.title}: \`${shown}\``);
	}
});

test('every session state as the Sessions tab writes it, wide and narrow', () => {
	for (const state of ['working', 'waiting', 'background', 'failed', 'idle', 'ended', 'stale'] as const) {
		const text = sessionStateText(state, 0).replace(/ 0$/, ' N');
		assert.ok(quoted.has(text), text);
	}
	assert.ok(quoted.has(sessionStateText('background', 0, true).replace(/ 0$/, ' N')), 'the narrow form');
});

test('why a session waits, why a call was cut, and StopFailure in words', () => {
	for (const words of Object.values(waitWords))
		assert.ok(section.includes(`\`${words} (`) || section.includes(`\`${words}\``), words);
	const causes: InterruptCause[] = ['user', 'stop', 'prompt', 'agent-stop', 'session-end'];
	for (const cause of causes) {
		const text = interruptText(cause);
		assert.ok(quoted.has(text) || quoted.has(`— ${text}`), text);
	}
	for (const code of [
		'rate_limit',
		'overloaded',
		'authentication_failed',
		'oauth_org_not_allowed',
		'billing_error',
		'invalid_request',
		'model_not_found',
		'server_error',
		'max_output_tokens',
		'unknown',
	]) {
		assert.ok(section.includes(`\`${code}\` → \`${apiErrorWords(code)}\``), code);
	}
	assert.ok(quoted.has(apiErrorWords(undefined)));
});

test('every short type label is in the Events ? legend, in docs/keys.md and in usage.md with the name it stands for', () => {
	const events = tabs.find((tab) => tab.id === 'events');
	const keysDoc = readFileSync(new URL('../docs/keys.md', import.meta.url), 'utf8');
	assert.ok(SHORT_LABELS.size > 0);
	for (const [name, label] of SHORT_LABELS) {
		assert.ok(
			events?.labels?.lines.some(([shown, meaning]) => shown === label && meaning.startsWith(name)),
			`? help: ${label}`,
		);
		assert.ok(keysDoc.includes(`| \`${label}\` | ${name} `), `docs/keys.md: ${label}`);
		assert.ok(section.includes(`| \`${label}\` | ${name} |`), `usage.md: ${label}`);
	}
});
