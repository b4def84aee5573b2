import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {formatGoal, goalMet, parseGoalLine} from '../bench/lib/goal.js';

test('a GOAL line reads name, value with its unit, op, target with its unit, then met or MISSED', () => {
	assert.equal(
		formatGoal('latency.100.p50', 0.74, '<=', 3, {unit: 'ms'}),
		'GOAL latency.100.p50 0.7ms <= 3ms met',
	);
	assert.equal(
		formatGoal('forwarder.sh.up.paired', 1.7049, '<=', 1.5, {unit: '×', digits: 2}),
		'GOAL forwarder.sh.up.paired 1.70× <= 1.5× MISSED',
	);
	assert.equal(
		formatGoal('ingest.ndjson.rate', 165405.4, '>=', 50_000, {unit: 'ev/s', digits: 0}),
		'GOAL ingest.ndjson.rate 165405ev/s >= 50000ev/s met',
	);
	assert.equal(
		formatGoal('ingest.single.of-bare', 69.9, '>=', 70, {unit: '%', digits: 0}),
		'GOAL ingest.single.of-bare 70% >= 70% MISSED',
	);
	assert.equal(formatGoal('forwarder.lost', 0, '<=', 0, {digits: 0}), 'GOAL forwarder.lost 0 <= 0 met');
});

test('the comparison is of the unrounded value; the edge is met; a value that is not a number is missed', () => {
	assert.equal(goalMet(3, '<=', 3), true);
	assert.equal(goalMet(3.0001, '<=', 3), false);
	assert.equal(goalMet(70, '>=', 70), true);
	assert.equal(goalMet(69.999, '>=', 70), false);
	assert.equal(goalMet(Number.NaN, '<=', 3), false);
	assert.equal(goalMet(Number.NaN, '>=', 3), false);
	assert.equal(goalMet(Number.POSITIVE_INFINITY, '>=', 3), false);
	assert.equal(goalMet(Number.NEGATIVE_INFINITY, '<=', 3), false);
	assert.equal(
		formatGoal('tui.stream.caught-up', Number.NaN, '<=', 1000, {unit: 'ms'}),
		'GOAL tui.stream.caught-up NaNms <= 1000ms MISSED',
	);
});

test('a name or unit with a space is refused (the line is split on spaces)', () => {
	assert.throws(() => formatGoal('two words', 1, '<=', 2));
	assert.throws(() => formatGoal('', 1, '<=', 2));
	assert.throws(() => formatGoal('x', 1, '<=', 2, {unit: ' ms'}));
});

test('parseGoalLine reads a GOAL line back, and nothing else', () => {
	assert.deepEqual(parseGoalLine('GOAL memory.rss.loaded 124.5MB <= 150MB met'), {
		name: 'memory.rss.loaded',
		value: '124.5MB',
		op: '<=',
		target: '150MB',
		met: true,
	});
	assert.deepEqual(parseGoalLine('GOAL tui.stream.fps 8.2 >= 9 MISSED\r'), {
		name: 'tui.stream.fps',
		value: '8.2',
		op: '>=',
		target: '9',
		met: false,
	});
	for (const line of [
		'',
		'  GOAL x 1 <= 2 met',
		'GOAL x 1 < 2 met',
		'GOAL x 1 <= 2 maybe',
		'GOAL x 1 <= 2 met extra',
		'goals: node ≤ 1.3×',
	])
		assert.equal(parseGoalLine(line), undefined, JSON.stringify(line));
});

test('goal() prints the line and a miss sets the exit code to 1, a met goal leaves it alone', () => {
	const script = (calls: string) =>
		spawnSync(
			process.execPath,
			['--import', 'tsx', '--input-type=module', '-e', `import {goal} from './bench/lib/goal.ts'; ${calls}`],
			{encoding: 'utf8', cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')},
		);
	const met = script("goal('a', 1, '<=', 2); goal('b', 5, '>=', 4, {unit: 'ms', digits: 0});");
	assert.equal(met.status, 0, met.stderr);
	assert.equal(met.stdout, 'GOAL a 1.0 <= 2 met\nGOAL b 5ms >= 4ms met\n');
	const missed = script("goal('a', 3, '<=', 2); goal('b', 5, '>=', 4);");
	assert.equal(missed.status, 1, missed.stderr);
	assert.equal(missed.stdout, 'GOAL a 3.0 <= 2 MISSED\nGOAL b 5.0 >= 4 met\n');
});
