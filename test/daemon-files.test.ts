/** The daemon's log rotation, PID file and printed service files (source/daemon/). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {RotatingLog, tailOf} from '../source/daemon/log-file.js';
import {readPidFile, removePidFile, writePidFile} from '../source/daemon/pid-file.js';
import {serviceUnit} from '../source/daemon/unit.js';
import {tempDir, testConfig} from './helpers/server-kit.js';

test('the log rotates at its size and keeps 3 old files', () => {
	const file = path.join(tempDir(), 'server.log');
	const log = new RotatingLog(file, 1000, 3);
	for (let i = 0; i < 100; i++) log.write(`line ${i} ${'x'.repeat(60)}`);
	for (const n of [1, 2, 3]) assert.ok(fs.existsSync(`${file}.${n}`), `${file}.${n}`);
	assert.equal(fs.existsSync(`${file}.4`), false);
	for (const f of [file, `${file}.1`, `${file}.2`, `${file}.3`]) assert.ok(fs.statSync(f).size <= 1000, f);
	assert.match(
		tailOf(file, 1)!,
		new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\[${process.pid}\\] line 99 x+$`),
	);
	assert.match(tailOf(`${file}.1`, 1)!, /line \d+ /);
	assert.equal(tailOf(file, 0), '', 'no lines for 0, as tail -n 0');
	// A new log over the limit is moved aside when opened.
	const again = new RotatingLog(file, 10, 3);
	again.write('fresh');
	assert.match(fs.readFileSync(file, 'utf8'), /^\S+ \[\d+\] fresh\n$/);
});

test('the PID file: read back, refused when malformed, removed only when it names the pid', () => {
	const file = path.join(tempDir(), 'server.pid');
	const record = {
		pid: 42,
		procStart: 7,
		url: 'http://127.0.0.1:1',
		host: '127.0.0.1',
		port: 1,
		startedAt: 5,
		version: '1',
	};
	writePidFile(file, record);
	assert.deepEqual(readPidFile(file), record);
	assert.equal(fs.statSync(file).mode & 0o777, 0o600);
	removePidFile(file, 43);
	assert.ok(fs.existsSync(file));
	removePidFile(file, 42);
	assert.equal(fs.existsSync(file), false);
	for (const bad of [
		'',
		'null',
		'{"pid":"1","url":"x"}',
		'{"pid":0,"url":"x"}',
		'{"pid":1.5,"url":"x"}',
		'{"pid":1}',
	]) {
		fs.writeFileSync(file, bad);
		assert.equal(readPidFile(file), null, bad);
	}
});

test('server unit: a systemd unit and a launchd plist that run the daemon, quoted, without the token', () => {
	const config = testConfig({port: 9999, token: 'secret'}, {}, '/tmp/state with space %h');
	const systemd = serviceUnit('systemd', config, '/usr/bin/node', '/opt/mpm tui/cli.js');
	assert.match(
		systemd,
		/^ExecStart=\/usr\/bin\/node "\/opt\/mpm tui\/cli\.js" --server-only --daemon --port 9999 --host 127\.0\.0\.1 /m,
	);
	assert.match(systemd, /^Environment="MPM_TUI_STATE_DIR=\/tmp\/state with space %%h"$/m);
	assert.match(systemd, /^WantedBy=default\.target$/m);
	const launchd = serviceUnit('launchd', config, '/usr/bin/node', '/opt/a&b/cli.js');
	assert.match(launchd, /<string>\/opt\/a&amp;b\/cli\.js<\/string>/);
	assert.match(launchd, /<string>--daemon<\/string>/);
	for (const text of [systemd, launchd]) assert.doesNotMatch(text, /secret/);
});
