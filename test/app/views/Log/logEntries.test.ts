/**
 * The log's reading of a supervisor's error report: OTP's supervisor report names the context
 * (start_error or shutdown_error), the reason and the offender (supervisor.erl ?report_error).
 */
import { describe, expect, it } from 'vitest';
import { logEntries } from '../../../../app/views/Log/logEntries.ts';
import type { Pid } from '../../../../runtime/protocol/index.ts';

const sup = '<0.5.0>' as Pid;
const child = '<0.9.0>' as Pid;

describe('orchard.supervisor.report', () => {
  it('reads as an error supervisor report naming the context, the reason and the offender', () => {
    const [entry] = logEntries({ type: 'orchard.supervisor.report', at: 1, supervisor: sup, context: 'shutdown_error', reason: 'killed', childId: 'db', pid: child }, 0);
    expect(entry).toMatchObject({ level: 'error', kind: 'supervisor', pid: child });
    expect(entry!.lines).toEqual([
      { label: 'Context:', text: 'shutdown_error' },
      { label: 'Reason:', text: 'killed' },
      { label: 'Offender:', pid: child, text: 'db' },
    ]);
  });

  it('points at the supervisor when the child never got a pid (a start_error)', () => {
    const [entry] = logEntries({ type: 'orchard.supervisor.report', at: 1, supervisor: sup, context: 'start_error', reason: 'no_db', childId: 'db', pid: null }, 0);
    expect(entry).toMatchObject({ pid: sup, headline: ['Supervisor', { pid: sup, showName: true }, 'could not start child', 'db'] });
  });
});
