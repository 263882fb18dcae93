/**
 * The Log's entries as views of the flight recorder's events (app/views/Log/logEntries.ts), in
 * the words of OTP's reports (supervisor.erl report_error/4: child_terminated, shutdown,
 * start_error; gen_server.erl error_info/7) and Elixir's GenServer logs.
 */
import { describe, expect, it } from 'vitest';
import { logEntries, logText } from '../../../app/views/Log/logEntries.ts';
import type { InspectorEvent, Pid } from '../../../app/protocol.ts';

const S = '<0.5.0>' as Pid;
const W = '<0.7.0>' as Pid;
const headline = (e: InspectorEvent) => logEntries(e, 0).map((x) => x.headline.map((h) => (typeof h === 'string' ? h : h.pid)).join(' '));

describe('crash reports', () => {
  const death: InspectorEvent = {
    type: 'orchard.process.exited', at: 1, pid: W, reason: '"TypeError: boom"', supervisor: S, childId: 'server',
    crash: { behaviour: 'GenServer', name: 'Pooly.Server', lastMessage: 'get', from: '<0.9.0>' as Pid, state: '{busy: []}' },
  };

  it('reads a death with a crash report as two entries, as OTP logs the server\'s report and then its supervisor\'s', () => {
    expect(headline(death)).toEqual([`GenServer Pooly.Server ${W} terminating`, `Child server of Supervisor ${S} terminated`]);
    const [crash, sup] = logEntries(death, 0);
    expect(crash).toMatchObject({ level: 'error', kind: 'crash', pid: W });
    expect(crash!.lines).toEqual([
      { label: '** (TypeError)', text: 'boom' },
      { label: 'Last message (from', pid: '<0.9.0>', text: 'get' },
      { label: 'State:', text: '{busy: []}' },
    ]);
    expect(sup).toMatchObject({ level: 'error', kind: 'supervisor' });
    expect(sup!.lines[0]).toEqual({ label: 'Context:', text: 'child_terminated' });
  });

  it('a stop reason reads as ** (stop), as Elixir prints it', () => {
    const [crash] = logEntries({ ...death, reason: '{bad: 1}' }, 0);
    expect(crash!.lines[0]).toEqual({ label: '** (stop)', text: '{bad: 1}' });
  });
});

describe('supervisor reports', () => {
  it('a normal exit of a child is no report; shutdown is information; killed is an error', () => {
    const exit = (reason: string): InspectorEvent => ({ type: 'orchard.process.exited', at: 1, pid: W, reason, supervisor: S, childId: 'w' });
    expect(logEntries(exit('normal'), 0)).toEqual([]);
    expect(logEntries(exit('shutdown'), 0).map((e) => e.level)).toEqual(['info']);
    expect(logEntries(exit('killed'), 0).map((e) => e.level)).toEqual(['error']);
  });

  it('a process nobody supervises, killed, leaves no entry: only facts about supervisors and crashes are logged', () => {
    expect(logEntries({ type: 'orchard.process.exited', at: 1, pid: W, reason: 'killed' }, 0)).toEqual([]);
  });

  it('a restart is a notice; one whose start failed is a start_error', () => {
    const r: InspectorEvent = { type: 'orchard.supervisor.restarted', at: 1, supervisor: S, childId: 'w', oldPid: W, newPid: '<0.8.0>' as Pid, reason: 'killed', count: 2 };
    expect(logEntries(r, 0)).toMatchObject([{ level: 'notice', pid: '<0.8.0>' }]);
    expect(logEntries({ ...r, newPid: null }, 0)).toMatchObject([{ level: 'error', lines: [{ text: 'start_error' }, {}, {}] }]);
  });

  it('an escalation names reached_max_restart_intensity', () => {
    const e: InspectorEvent = { type: 'orchard.supervisor.intensity_exceeded', at: 1, supervisor: S, restarts: 4, intensity: 3, period: 5 };
    expect(logText(logEntries(e, 0)[0]!)).toContain('reached_max_restart_intensity');
  });
});

describe('unexpected messages', () => {
  it('reads as Elixir logs it, a warning on the process', () => {
    const e: InspectorEvent = { type: 'orchard.process.unexpected_message', at: 1, pid: W, behaviour: 'GenServer', name: 'Counter', callback: 'handle_info', message: '"inc"' };
    expect(headline(e)).toEqual([`GenServer Counter ${W} received unexpected message in handle_info/2`]);
    expect(logEntries(e, 0)[0]).toMatchObject({ level: 'warning', kind: 'unexpected', pid: W });
  });

  it('spawns, links and monitors are no log entries', () => {
    expect(logEntries({ type: 'orchard.process.spawned', at: 1, pid: W, parent: S, initialCall: 'x' }, 0)).toEqual([]);
  });
});
