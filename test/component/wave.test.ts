// WAVE text for component values (parse against a type, print back), and `kasane run --invoke`
// on a component (wat/invoke.wat) whose exports echo values of many types, on both engines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWave, printWave, parseWaveArgs, parseWaveCall, WaveError } from '../../src/wit/wave.js';
import type { Type } from '../../src/component/types.js';
import { ENGINES } from '../wasi/helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const component = join(root, 'test', 'component', 'fixtures', 'invoke.component.wasm');

const T = (kind: string): Type => ({ kind } as Type);

test('WAVE values read into jco-convention JS values and print back', () => {
  const cases: [Type, string, unknown][] = [
    [T('bool'), 'true', true],
    [T('s8'), '-128', -128],
    [T('u64'), '18446744073709551615', 2n ** 64n - 1n],
    [T('f64'), '-inf', -Infinity],
    [T('f32'), '1.5', 1.5],
    [T('char'), "'\\u{1f980}'", '🦀'],
    [T('string'), '"a\\"b\\\\c\\n"', 'a"b\\c\n'],
    [{ kind: 'list', elem: T('u8') }, '[1, 2, 3]', Uint8Array.of(1, 2, 3)],
    [{ kind: 'list', elem: T('string') }, '["x", "y"]', ['x', 'y']],
    [{ kind: 'tuple', types: [T('u32'), T('string')] }, '(1, "s")', [1, 's']],
    [{ kind: 'record', fields: [{ name: 'first-name', type: T('string') }, { name: 'age', type: T('u8') }] }, '{first-name: "Ada", age: 36}', { firstName: 'Ada', age: 36 }],
    [{ kind: 'flags', names: ['read', 'write', 'mutate-directory'] }, '{read, mutate-directory}', { read: true, write: false, mutateDirectory: true }],
    [{ kind: 'enum', names: ['red', 'green'] }, 'green', 'green'],
    [{ kind: 'variant', cases: [{ name: 'circle', type: T('f64') }, { name: 'empty' }] }, 'circle(2)', { tag: 'circle', val: 2 }],
    [{ kind: 'variant', cases: [{ name: 'circle', type: T('f64') }, { name: 'empty' }] }, 'empty', { tag: 'empty' }],
    [{ kind: 'option', type: T('u32') }, 'some(5)', 5],
    [{ kind: 'option', type: T('u32') }, 'none', undefined],
    [{ kind: 'result', ok: T('u32'), err: T('string') }, 'err("bad")', { tag: 'err', val: 'bad' }],
    [{ kind: 'result' }, 'ok', { tag: 'ok', val: undefined }],
  ];
  for (const [t, text, value] of cases) {
    assert.deepEqual(parseWave(text, t), value, `parse ${text}`);
    assert.equal(printWave(value, t), text.replace('\\u{1f980}', '🦀'), `print ${text}`);
  }
});

test('WAVE errors name what is wrong and where', () => {
  assert.throws(() => parseWave('256', T('u8')), (e: unknown) => e instanceof WaveError && /256 is out of range for u8 \(at 1:1\)/.test(e.message));
  assert.throws(() => parseWave('{x: 1}', { kind: 'record', fields: [{ name: 'y', type: T('u8') }] }), /unknown field `x` \(fields: y\) \(at 1:2\)/);
  assert.throws(() => parseWave('"open', T('string')), /unterminated/);
  assert.throws(() => parseWave('1 2', T('u8')), /unexpected text after the value/);
  const ft = { params: [{ name: 'a', type: T('u32') }, { name: 'b', type: T('string') }], results: [] };
  assert.deepEqual(parseWaveArgs('7, "x"', ft.params.map((p) => p.type)), [7, 'x']);
  assert.throws(() => parseWaveArgs('7', ft.params.map((p) => p.type)), /missing argument 2 of 2/);
  const call = parseWaveCall('f(1, (2, 3))');
  assert.equal(call.name, 'f');
  assert.equal(call.args.trim(), '1, (2, 3)'); // padded so error columns count from the call's start
});

for (const engine of ENGINES) {
  test(`kasane run --invoke on a component (${engine})`, () => {
    const invoke = (call: string): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--invoke', call, component], { encoding: 'utf8' });
    const expect: [string, string][] = [
      ['add(1, 2)', '3'],
      ['echo-string("héllo\\n\\u{1f980}")', '"héllo\\n🦀"'],
      ['echo-list([1, 2, 65535])', '[1, 2, 65535]'],
      ['echo-point({x: -1, y-coord: 2})', '{x: -1, y-coord: 2}'],
      ['echo-shape(circle(1.5))', 'circle(1.5)'],
      ['check(some(41))', 'ok(42)'],
      ['check(none)', 'err("none")'],
      ['count({read, exec})', '2'],
      ['next-color(blue)', 'red'],
      ["swap((7, 'x'))", "('x', 7)"],
      ['negate(5, 2.5)', '(-5, -2.5)'],
    ];
    for (const [call, out] of expect) {
      const r = invoke(call);
      assert.equal(r.stderr, '', call);
      assert.equal(r.stdout, out + '\n', call);
      assert.equal(r.status, 0);
    }
    const bad = invoke('add(1)');
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, 'kasane: --invoke: missing argument 2 of 2 (at 1:6)\n');
    assert.match(invoke('nope()').stderr, /no exported function `nope` \(exported functions: add, echo-string,/);
  });
}
