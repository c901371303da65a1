import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure, UsageError } from '../../src/cli/errors.js';
import { columns, formatAge, formatDuration } from '../../src/cli/output.js';
import { LockTimeoutError } from '../../src/container/lock.js';
import { ConfigError } from '../../src/errors/index.js';
import {
  DockerUnavailableError,
  ExtensionMissingError,
  FactoryValidationError,
  MigrationChecksumError,
  MigrationError,
  MigrationFormatError,
  MigrationLicenseError,
  MigrationLockError,
  MigrationOrderError,
  StartupTimeoutError,
} from '../../src/index.js';
import { cli } from './support.js';

const COMMANDS = ['up', 'down', 'status', 'prune', 'migrate', 'seed', 'doctor'];

describe('timescale-testkit usage', () => {
  it('--help lists every command and the exit codes; --version prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.out).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(help.out).toContain('Exit codes: 0 success, 1 failure');
    expect(help.out).toContain('130 interrupted');
    expect((await cli(['-h'])).out).toBe(help.out);
    expect((await cli(['help'])).out).toBe(help.out);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await cli(['--version'])).toEqual({ code: 0, out: pkg.version, err: '' });
  });

  it('--help on each command prints its own usage, before any other check', async () => {
    for (const command of COMMANDS) {
      const { code, out, err } = await cli([command, '--bogus', '--help']);
      expect(code, command).toBe(0);
      expect(out).toMatch(new RegExp(`^timescale-testkit ${command}\\b`));
      expect(out).toContain('Exit codes:');
      expect(err).toBe('');
      expect((await cli(['help', command])).out).toBe(out);
      expect((await cli([command, '-h'])).out).toBe(out);
    }
  });

  it('no command, an unknown command or an unknown flag is a usage error: exit 2, error and fix lines', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('Commands:');
    expect(await cli(['launch'])).toEqual({
      code: 2,
      out: '',
      err: 'error: unknown command "launch"\nfix: see `timescale-testkit --help`',
    });
    expect((await cli(['--image', 'x'])).err).toContain('error: expected a command before --image');
    expect((await cli(['help', 'launch'])).code).toBe(2);
    const flag = await cli(['up', '--detached']);
    expect(flag).toEqual({
      code: 2,
      out: '',
      err: 'error: unknown option --detached for up\nfix: see `timescale-testkit up --help`',
    });
    expect((await cli(['status', 'extra'])).err).toContain('error: unexpected argument "extra" for status');
    expect((await cli(['status', '--json=yes'])).code).toBe(2);
    expect((await cli(['prune', '--older-than-minutes', 'soon'])).err).toContain(
      'error: --older-than-minutes must be a whole number >= 0, got "soon"',
    );
    expect((await cli(['up', '--detach', '--no-reuse'])).err).toContain('cannot go with --no-reuse');
    expect((await cli(['up', '--migrations', '/nonexistent/migrations'])).err).toContain(
      'error: migrations folder /nonexistent/migrations does not exist',
    );
  });
});

describe('failures: one line of cause, one line of fix', () => {
  const details = {
    file: '/m/2_x.sql',
    version: '2',
    line: 3,
    column: 5,
    excerpt: '> 3 | CREATE x',
    statement: 'CREATE x',
    pgCode: '42601',
    pgMessage: 'syntax error',
    pgDetail: 'some detail',
    pgHint: 'some hint',
  };

  it.each([
    [new DockerUnavailableError('no answer', 'tcp://127.0.0.1:1', 1500), /^Docker is not reachable/, /^start Docker/],
    [
      new ExtensionMissingError('vector', 'img:1', 'no such file'),
      /^extension "vector" .* image img:1$/,
      /TIMESCALE_TESTKIT_IMAGE/,
    ],
    [new StartupTimeoutError('img:1', 1000, ['log a'], new Error('late')), /not ready within 1000 ms/, /log below/],
    [
      new MigrationError(details),
      /^migration \/m\/2_x\.sql:3:5 failed: syntax error \(SQLSTATE 42601\)$/,
      /2_x\.sql:3:5/,
    ],
    [
      new MigrationLicenseError(details, 'timescale/timescaledb:x', 'retention policies'),
      /retention policies, which the server's Apache edition refuses/,
      /community edition/,
    ],
    [new MigrationChecksumError('/m/1.sql', '1', 'a'.repeat(64), 'b'.repeat(64)), /was changed/, /add a new migration/],
    [new MigrationOrderError('/m/0.sql', '0', '5'), /sorts before/, /--allow-out-of-order/],
    [new MigrationFormatError('/m', 'matches several formats', ['goose: 1.sql']), /^Migrations folder \/m/, /--format/],
    [new MigrationLockError('ledger', 1000), /Timed out/, /wait for the other runner/],
    [new ConfigError('isolation must be one of ...'), /^isolation must be/, /timescale-testkit\.config/],
    [new FactoryValidationError('order', 'price', -1, 'must be > 0'), /^order: price/, /reference schema/],
    [new LockTimeoutError('/tmp/x.lock', 10), /Could not take the lock/, /DEBUG=timescale-testkit/],
    [
      Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' }),
      /\(SQLSTATE 28P01\)$/,
      /password/,
    ],
    [
      Object.assign(new Error('database "nope" does not exist'), { code: '3D000' }),
      /SQLSTATE 3D000/,
      /create the database/,
    ],
    [Object.assign(new Error('relation "t" does not exist'), { code: '42P01' }), /SQLSTATE 42P01/, /check the URL/],
    [
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '::1', port: 5 })]),
      /at ::1:5 \(ECONNREFUSED\)$/,
      /is running/,
    ],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }),
      /^cannot reach the database server \(ENOTFOUND\)$/,
      /check the URL/,
    ],
    [new Error(''), /^Error$/, /DEBUG=timescale-testkit/],
    ['a string', /^a string$/, /report it/],
    [new UsageError('bad', 'seed'), /^bad$/, /seed --help/],
  ])('%s', (error, cause, fix) => {
    const failure = describeFailure(error);
    expect(failure.cause).toMatch(cause);
    expect(failure.cause).not.toContain('\n');
    expect(failure.fix).toMatch(fix);
    expect(failure.fix).not.toContain('\n');
  });

  it('keeps a migration excerpt, DETAIL and HINT, and a container log, as indented details', () => {
    expect(describeFailure(new MigrationError(details)).details).toEqual([
      'DETAIL: some detail',
      'HINT: some hint',
      '> 3 | CREATE x',
    ]);
    expect(describeFailure(new StartupTimeoutError('img', 1, ['a', 'b'])).details).toEqual(['a', 'b']);
    expect(describeFailure(new MigrationFormatError('/m', 'x', ['one'])).details).toEqual(['saw: one']);
  });
});

describe('output helpers', () => {
  it('formats durations, ages and columns', () => {
    expect([formatDuration(12.4), formatDuration(1_840), formatDuration(125_000)]).toEqual([
      '12 ms',
      '1.8 s',
      '2 min 5 s',
    ]);
    expect([
      formatAge(-5),
      formatAge(42_000),
      formatAge(180_000),
      formatAge(7_200_000),
      formatAge(5 * 86_400_000),
    ]).toEqual(['0s', '42s', '3m', '2h', '5d']);
    expect(
      columns([
        ['a', 'bb', 'c'],
        ['ccc', 'd', 'e'],
      ]),
    ).toEqual(['a    bb  c', 'ccc  d   e']);
  });
});
