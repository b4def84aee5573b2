/**
 * A benchmark's goals, one line each, for people and for bench/run.ts's summary:
 *   GOAL <name> <value><unit> <op> <target><unit> met|MISSED
 * A missed goal (or a value that is not a number) makes the bench exit 1.
 */

export type GoalOp = '<=' | '>=';

export interface GoalLine {
	name: string;
	/** The measured value as printed, unit included. */
	value: string;
	op: GoalOp;
	/** The target as printed, unit included. */
	target: string;
	met: boolean;
}

/** Whether `value op target` holds; never for a value that is not a finite number. */
export function goalMet(value: number, op: GoalOp, target: number): boolean {
	if (!Number.isFinite(value)) return false;
	return op === '<=' ? value <= target : value >= target;
}

/** A number without grouping separators (the line is split on spaces), `digits` after the point. */
export function goalNumber(x: number, digits: number): string {
	return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export interface GoalOptions {
	/** Written right after the value and the target: `ms`, `%`, `×`, `MB`, `ev/s`. */
	unit?: string;
	/** Decimals of the value (default 1); the target is printed as given. */
	digits?: number;
}

/** The GOAL line for a measured value; the comparison is of the unrounded value. */
export function formatGoal(
	name: string,
	value: number,
	op: GoalOp,
	target: number,
	{unit = '', digits = 1}: GoalOptions = {},
): string {
	if (!/^\S+$/.test(name)) throw new Error(`a goal's name is one word, got ${JSON.stringify(name)}`);
	if (/\s/.test(unit)) throw new Error(`a goal's unit has no spaces, got ${JSON.stringify(unit)}`);
	const met = goalMet(value, op, target);
	return `GOAL ${name} ${goalNumber(value, digits)}${unit} ${op} ${target}${unit} ${met ? 'met' : 'MISSED'}`;
}

/** Reads a GOAL line back (bench/run.ts's summary); undefined for any other line. */
export function parseGoalLine(line: string): GoalLine | undefined {
	const match = /^GOAL (\S+) (\S+) (<=|>=) (\S+) (met|MISSED)$/.exec(line.trimEnd());
	if (match === null) return undefined;
	return {name: match[1], value: match[2], op: match[3] as GoalOp, target: match[4], met: match[5] === 'met'};
}

/** Prints the GOAL line; a miss sets the exit code to 1. Returns whether the goal was met. */
export function goal(
	name: string,
	value: number,
	op: GoalOp,
	target: number,
	options: GoalOptions = {},
): boolean {
	const line = formatGoal(name, value, op, target, options);
	console.log(line);
	const met = line.endsWith(' met');
	if (!met) process.exitCode = 1;
	return met;
}
