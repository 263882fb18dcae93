import { afterEach, describe, expect, it } from 'vitest';
import {
  defineModule,
  link,
  monitor,
  processInfo,
  receive,
  receiveLoop,
  self,
  setDefaultScheduler,
  setLabel,
  spawn,
  trapExit,
  type Pid,
  type ProcessInfo,
} from '../../../runtime/core/index.ts';
import { type Proc, setup } from '../../utils.ts';

afterEach(() => setDefaultScheduler(null));

function* idle(): Proc {
  yield receive(() => false);
}

describe('processInfo', () => {
  it('reports status: runnable before the first run, running inside, waiting in receive, gone after exit (erlang:process_info/2 docs, status)', () => {
    const h = setup();
    let inside: ProcessInfo | undefined;
    const pid = spawn(function* (): Proc {
      inside = processInfo(self());
      yield receive();
    });
    expect(processInfo(pid)!.status).toBe('runnable');
    h.run();
    expect(inside!.status).toBe('running');
    expect(processInfo(pid)!.status).toBe('waiting');
    h.s.send(pid, 'go');
    expect(processInfo(pid)!.status).toBe('runnable');
    h.run();
    expect(processInfo(pid)).toBeUndefined();
  });

  it('reports mailboxLength, and memory grows with the mailbox (erlang:process_info/2 docs, message_queue_len and memory)', () => {
    const h = setup();
    const pid = spawn(idle);
    h.run();
    const before = processInfo(pid)!;
    expect(before.mailboxLength).toBe(0);
    expect(before.memory).toBeGreaterThan(0);
    // DESIGN decision 1: an idle process is a few hundred bytes.
    expect(before.memory).toBeLessThan(1024);
    for (let i = 0; i < 10; i++) h.s.send(pid, i);
    h.run();
    const after = processInfo(pid)!;
    expect(after.mailboxLength).toBe(10);
    expect(after.memory).toBeGreaterThan(before.memory);
  });

  it('counts reductions as the process handles messages (erlang:process_info/2 docs, reductions)', () => {
    const h = setup();
    const pid = spawn(() => receiveLoop(() => {}));
    h.run();
    const r0 = processInfo(pid)!.reductions;
    for (let i = 0; i < 25; i++) h.s.send(pid, i);
    h.run();
    expect(processInfo(pid)!.reductions - r0).toBe(25);
  });

  it('reports links, monitors and monitoredBy (erlang:process_info/2 docs, links, monitors, monitored_by)', () => {
    const h = setup();
    const target = spawn(idle);
    h.run();
    const pid = spawn(function* (): Proc {
      link(target);
      monitor(target);
      yield receive(() => false);
    });
    h.run();
    const info = processInfo(pid)!;
    expect(info.links).toEqual([target]);
    expect(info.monitors).toEqual([{ ref: expect.stringMatching(/^#Ref</), pid: target }]);
    expect(processInfo(target)!.monitoredBy).toEqual([pid]);
    expect(processInfo(target)!.links).toEqual([pid]);
  });

  it('reports trapExit as set by trapExit() or the spawn option (erlang:process_info/2 docs, trap_exit)', () => {
    const h = setup();
    const a = spawn(function* (): Proc {
      trapExit(true);
      yield receive(() => false);
    });
    const b = spawn(idle, [], { trapExit: true });
    const c = spawn(idle);
    h.run();
    expect([a, b, c].map((p) => processInfo(p)!.trapExit)).toEqual([true, true, false]);
  });

  it('reports initialCall and behaviour: the module or function it started in (erlang:process_info/2 docs, initial_call)', () => {
    const h = setup();
    defineModule('test.info.server', idle, 'GenServer');
    const byName = spawn('test.info.server');
    const byFn = spawn(function namedWorker() {
      receiveLoop(() => {});
    });
    h.run();
    expect(processInfo(byName)).toMatchObject({ initialCall: 'test.info.server', behaviour: 'GenServer' });
    expect(processInfo(byFn)).toMatchObject({ initialCall: 'namedWorker', behaviour: null });
  });

  it('reports registeredName and label, set by setLabel or the spawn option (proc_lib:set_label/1 docs)', () => {
    const h = setup();
    const a = spawn(function* (): Proc {
      setLabel('worker #1');
      yield receive(() => false);
    });
    const b = spawn(idle, [], { label: 'from spawn', name: 'test.info.named' });
    h.run();
    expect(processInfo(a)).toMatchObject({ label: 'worker #1', registeredName: null });
    expect(processInfo(b)).toMatchObject({ label: 'from spawn', registeredName: 'test.info.named' });
  });

  it('reports parent, ancestors and startedAt (proc_lib docs, "$ancestors"; erlang:process_info/2 docs)', () => {
    const h = setup();
    h.clock.advance(1234);
    let child = '' as Pid;
    let grandchild = '' as Pid;
    const root = spawn(function* (): Proc {
      child = spawn(function* (): Proc {
        grandchild = spawn(idle);
        yield receive(() => false);
      });
      yield receive(() => false);
    });
    h.run();
    expect(processInfo(root)).toMatchObject({ parent: null, ancestors: [], startedAt: 1234, scheduler: 0 });
    expect(processInfo(child)).toMatchObject({ parent: root, ancestors: [root] });
    expect(processInfo(grandchild)).toMatchObject({ parent: child, ancestors: [child, root] });
  });
});

// erlang:process_info/2 docs (OTP 26), item `messages`: "MessageQueue is a list of the messages
// to the process, which have not yet been processed"; `message_queue_len` is their number; for a
// process that is not alive the answer is `undefined`. Checked on OTP 25:
// process_info(self(), messages) lists the queue in arrival order.
describe('processInfo(pid, item)', () => {
  it("'messages' lists the mailbox in arrival order, without what was already taken (erlang:process_info/2 docs, messages)", () => {
    const h = setup();
    const pid = spawn(function* (): Proc {
      yield receive({ take: 'me' });
      yield receive(() => false);
    });
    h.run();
    h.s.send(pid, 'first');
    h.s.send(pid, { take: 'me' });
    h.s.send(pid, { second: [1, 2] });
    h.run();
    const read: unknown[] = [];
    spawn(() => {
      read.push(processInfo(pid, 'messages'), processInfo(pid, 'message_queue_len'));
    });
    h.run();
    expect(read).toEqual([['first', { second: [1, 2] }], 2]);
  });

  it('hands out a copy of the queue: changing it does not change the mailbox (erlang:process_info/2 docs, messages)', () => {
    const h = setup();
    const got: unknown[] = [];
    const pid = spawn(function* (): Proc {
      const mine = processInfo(self(), 'messages')!;
      mine.length = 0;
      got.push(yield receive());
    });
    h.s.send(pid, 'kept');
    h.run();
    expect(got).toEqual(['kept']);
  });

  it('answers undefined for a process that is not alive, and badarg for an item it does not read (erlang:process_info/2 docs)', () => {
    const h = setup();
    const gone = spawn(() => {});
    h.run();
    const read: unknown[] = [];
    let error: unknown;
    spawn(() => {
      read.push(processInfo(gone, 'messages'), processInfo(gone, 'message_queue_len'));
      try {
        processInfo(self(), 'dictionary' as 'messages');
      } catch (e) {
        error = e;
      }
    });
    h.run();
    expect(read).toEqual([undefined, undefined]);
    expect((error as Error).message).toMatch(/\bbadarg\b.*dictionary/);
  });
});
