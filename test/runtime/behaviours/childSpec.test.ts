/**
 * Child specs are checked once, at the supervisor's edge (STYLE G8), with OTP's defaults and
 * OTP's error reasons (supervisor.erl check_childspec/2).
 */
import { describe, expect, it } from 'vitest';
import { checkChildSpec } from '../../../runtime/behaviours/childSpec.ts';

const start = (): 'ignore' => 'ignore';

function reason(spec: unknown): unknown {
  try {
    checkChildSpec(spec);
  } catch (e) {
    return e;
  }
  throw new Error('expected the spec to be rejected');
}

describe('defaults', () => {
  it('fills restart permanent, type worker, shutdown 5000 and significant false for a worker (supervisor docs, child_spec; supervisor_SUITE, sup_start_map)', () => {
    expect(checkChildSpec({ id: 'c1', start })).toEqual({ id: 'c1', start, restart: 'permanent', type: 'worker', shutdown: 5000, significant: false });
  });

  it('fills shutdown infinity for a supervisor (supervisor docs, child_spec "shutdown"; supervisor_SUITE, sup_start_map)', () => {
    expect(checkChildSpec({ id: 's', start, type: 'supervisor' }).shutdown).toBe('infinity');
  });

  it('keeps what the spec gives, with start as a function or as [module, args] (supervisor docs, child_spec)', () => {
    const spec = { id: 'c', start: ['mod', [1, 2]] as [string, unknown[]], restart: 'transient' as const, shutdown: 'brutal_kill' as const, type: 'worker' as const, significant: true };
    expect(checkChildSpec(spec, 'any_significant')).toEqual(spec);
    expect(checkChildSpec({ id: 'c', start, shutdown: 0 }).shutdown).toBe(0);
    expect(checkChildSpec({ id: 'c', start, restart: 'temporary', shutdown: 'infinity' })).toMatchObject({ restart: 'temporary', shutdown: 'infinity' });
  });
});

describe('errors', () => {
  it('names a missing id or start with the bare reasons missing_id and missing_start (supervisor_SUITE, sup_start_map_faulty_specs)', () => {
    expect(reason({ start })).toBe('missing_id');
    expect(reason({ id: 'c2' })).toBe('missing_start');
  });

  it('rejects what is not a spec at all with {invalid_child_spec, X} (supervisor_SUITE, sup_start_map_faulty_specs)', () => {
    expect(reason('child4')).toEqual({ invalid_child_spec: 'child4' });
    expect(reason(null)).toEqual({ invalid_child_spec: null });
  });

  it('rejects a start that is neither a function nor [module, args] with {invalid_mfa, Start} (supervisor.erl validFunc/1)', () => {
    expect(reason({ id: 'c', start: 'mod' })).toEqual({ invalid_mfa: 'mod' });
    expect(reason({ id: 'c', start: ['mod'] })).toEqual({ invalid_mfa: ['mod'] });
    expect(reason({ id: 'c', start: ['mod', 'notalist'] })).toEqual({ invalid_mfa: ['mod', 'notalist'] });
  });

  it('rejects a bad restart type, child type or shutdown with OTP reasons (supervisor.erl validRestartType/1, validChildType/1, validShutdown/1)', () => {
    expect(reason({ id: 'c', start, restart: 'sometimes' })).toEqual({ invalid_restart_type: 'sometimes' });
    expect(reason({ id: 'c', start, type: 'manager' })).toEqual({ invalid_child_type: 'manager' });
    for (const shutdown of [-1, 1.5, 'never', Infinity]) {
      expect(reason({ id: 'c', start, shutdown })).toEqual({ invalid_shutdown: shutdown });
    }
  });
});

describe('scheduler (placement under a node)', () => {
  it('keeps a scheduler index or least_loaded for a [module, args] start, and adds no field without one (childSpec.ts, ChildSpec.scheduler)', () => {
    const mfa = ['mod', []] as [string, unknown[]];
    expect(checkChildSpec({ id: 'c', start: mfa, scheduler: 2 }).scheduler).toBe(2);
    expect(checkChildSpec({ id: 'c', start: mfa, scheduler: 'least_loaded' }).scheduler).toBe('least_loaded');
    expect('scheduler' in checkChildSpec({ id: 'c', start: mfa })).toBe(false);
  });

  it('rejects what is not a scheduler index or least_loaded with {invalid_scheduler, X}, as spawn would (checked at the edge, STYLE G8)', () => {
    for (const scheduler of [-1, 1.5, 'most_loaded', null]) {
      expect(reason({ id: 'c', start: ['mod', []], scheduler })).toEqual({ invalid_scheduler: scheduler });
    }
  });

  it('rejects a scheduler with a start function, which only its own scheduler can run (DESIGN decision 5: code crosses workers by name)', () => {
    expect(reason({ id: 'c', start, scheduler: 1 })).toEqual({ placement_needs_module: 'c' });
  });
});
