import { describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL, REQUIRES, validateMessage, withinSize } from '../../../runtime/protocol/index.ts';

const env = (type: string, fields: object = {}, id: number | undefined = 1) => ({ protocol: PROTOCOL, version: 1, type, ...(id === undefined ? {} : { id }), ...fields });
const code = (m: unknown) => {
  const v = validateMessage(m, 1);
  return v.ok ? 'ok' : v.code;
};

describe('envelope', () => {
  it('refuses what is not an envelope as bad_message', () => {
    for (const m of [null, 1, 'hello', [], { type: 'ping' }, { protocol: PROTOCOL, version: 1 }]) expect(code(m)).toBe('bad_message');
  });

  it('names an unknown type unknown_type, with the request id', () => {
    expect(validateMessage(env('selfDestruct', {}, 9), 1)).toMatchObject({ ok: false, code: 'unknown_type', id: 9 });
    expect(code(env('__proto__'))).toBe('unknown_type');
    expect(code(env('toString'))).toBe('unknown_type');
  });

  it('refuses another version as version_mismatch; a hello may carry any known version', () => {
    expect(code({ ...env('ping'), version: 2 })).toBe('version_mismatch');
    expect(code({ ...env('hello', { capabilities: ['observe'], client: { name: 'x', version: '1' } }), version: 99 })).toBe('version_mismatch');
    expect(code(env('hello', { capabilities: ['observe'], client: { name: 'x', version: '1' } }))).toBe('ok');
  });

  it('refuses a malformed id without echoing it', () => {
    expect(validateMessage({ ...env('ping'), id: -1 }, 1)).toMatchObject({ code: 'bad_message', id: undefined });
    expect(validateMessage({ ...env('ping'), id: 'x' }, 1)).toMatchObject({ code: 'bad_message', id: undefined });
  });
});

describe('fields', () => {
  it('checks each request type', () => {
    expect(code(env('kill', { pid: '<0.1.0>' }))).toBe('ok');
    expect(code(env('kill', { pid: 'me' }))).toBe('bad_message');
    expect(code(env('kill'))).toBe('bad_message');
    expect(code(env('exit', { pid: '<0.1.0>' }))).toBe('bad_message');
    expect(code(env('exit', { pid: '<0.1.0>', reason: { any: 'thing' } }))).toBe('ok');
    expect(code(env('send', { to: 'counter', message: 1 }))).toBe('ok');
    expect(code(env('send', { to: '<oops', message: 1 }))).toBe('bad_message');
    expect(code(env('send', { to: 'counter' }))).toBe('bad_message');
    expect(code(env('trace', { pids: ['<0.1.0>'], on: true }))).toBe('ok');
    expect(code(env('trace', { pids: [], on: true }))).toBe('bad_argument');
    expect(code(env('trace', { pids: ['<0.1.0>'], on: 'yes' }))).toBe('bad_message');
    expect(code(env('inspect', { pid: '<0.1.0>', mailboxLimit: 5, watch: true }))).toBe('ok');
    expect(code(env('inspect', { pid: '<0.1.0>', mailboxLimit: 1e9 }))).toBe('bad_argument');
    expect(code(env('table', { table: 't', offset: 0, limit: 10 }))).toBe('ok');
    expect(code(env('startApplication', { name: '' }))).toBe('bad_message');
  });

  it('keeps the subscription rate and limits within bounds', () => {
    expect(code(env('subscribe', {}))).toBe('ok');
    expect(code(env('subscribe', { rate: 10, processes: { limit: 100, sortBy: 'mailbox', include: ['<0.3.0>'] } }))).toBe('ok');
    expect(code(env('subscribe', { rate: 1000 }))).toBe('bad_argument');
    // Out of range, Infinity and NaN included, is a bad argument (PROTOCOL.md, "Errors").
    expect(code(env('subscribe', { rate: Number.NaN }))).toBe('bad_argument');
    expect(code(env('subscribe', { rate: Number.POSITIVE_INFINITY }))).toBe('bad_argument');
    expect(code(env('subscribe', { rate: '10' }))).toBe('bad_message');
    expect(code(env('subscribe', { processes: { sortBy: 'name' } }))).toBe('bad_argument');
    expect(code(env('subscribe', { processes: { limit: LIMITS.maxProcessLimit + 1 } }))).toBe('bad_argument');
  });

  it('takes capability names it does not know (the runtime grants the intersection), but only names', () => {
    expect(code(env('hello', { capabilities: ['observe', 'profile'], client: { name: 'x', version: '1' } }))).toBe('ok');
    expect(code(env('hello', { capabilities: [42], client: { name: 'x', version: '1' } }))).toBe('bad_message');
    expect(code(env('hello', { capabilities: 'observe', client: { name: 'x', version: '1' } }))).toBe('bad_message');
    expect(code(env('hello', { capabilities: ['observe'], client: 'x' }))).toBe('bad_message');
  });

  it('has a capability for every request type', () => {
    expect(REQUIRES.kill).toBe('control');
    expect(REQUIRES.subscribe).toBe('observe');
    expect(REQUIRES.hello).toBeNull();
  });
});

describe('withinSize', () => {
  it('measures without building the string and stops early', () => {
    expect(withinSize({ a: 'x'.repeat(100) }, 1000)).toBe(true);
    expect(withinSize({ a: 'x'.repeat(2000) }, 1000)).toBe(false);
    expect(withinSize(new Array(1_000_000).fill(0), 1000)).toBe(false);
  });

  it('calls a cyclic or absurdly deep value too large', () => {
    const a: Record<string, unknown> = {};
    a.a = a;
    expect(withinSize(a)).toBe(false);
    let deep: unknown = 0;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(withinSize(deep)).toBe(false);
  });
});
