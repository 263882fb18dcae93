/**
 * Going back in time. The recorder listens to the live store and keeps what it applied
 * (recording.ts). Scrubbing builds the state of the chosen moment in a store of its own, the
 * replay store, and the views read that one instead of the live store (App.tsx swaps them):
 * the live connection keeps running and recording meanwhile. A recording opened from a file is
 * scrubbed the same way, with no runtime behind it. While replaying, commands are refused with
 * the reason (REPLAY_REASON), and the replay store grants observe only, so the views disable
 * their controls.
 */
import { createStore } from 'zustand/vanilla';
import { DETACHED, type CommandResult, type Session } from '../client/Session.ts';
import { type AttachStore, createAttachStore } from '../client/attachStore.ts';
import type { Pid } from '../protocol.ts';
import { type Marker, Recording, type RecordingOptions } from '../store/recording.ts';
import { type ExportOptions, type RecordingHeader, RecordingError, exportRecording, openRecording } from '../store/recordingFile.ts';
import { type RuntimeState, type RuntimeStore, createRuntimeStore } from '../store/runtimeStore.ts';
import { type EpisodeFact, describeFact, episodeOf, partialFrame } from './stepThrough.ts';
import { applyRecorded, rowsTouched, scrubCounters } from '../store/recording.ts';
import { replayRates } from '../store/rates.ts';
import { type Undo, applyUndo, undoFor } from '../store/recordingUndo.ts';

export const REPLAY_REASON = 'you are looking at a recorded moment: commands go to the present only (press Live, or L)';

export interface StepState {
  marker: Marker;
  /** The episode's first frame, and its facts in order (from that frame to the marker's). */
  from: number;
  facts: EpisodeFact[];
  /** How many of the facts are shown (0: the moment before the episode). */
  index: number;
  playing: boolean;
  /** Each fact in words, as the state before the frame names things. */
  texts: string[];
}

export interface ReplayState {
  /** 'live': the views show the live store; 'replay': the replay store, at `position`. */
  mode: 'live' | 'replay';
  /** A recording opened from a file (replaces the live ring on the timeline), or null. */
  file: { name: string; header: RecordingHeader } | null;
  /** The frame shown, and when it arrived. */
  position: number;
  at: number;
  step: StepState | null;
  /** Why the last open or export failed, for the person who asked. */
  error: string | null;
  /** Loading a file or a URL. */
  busy: string | null;
}

export interface Replay {
  state: ReturnType<typeof createReplayStateStore>;
  /** The store the views read while replaying. */
  runtime: RuntimeStore;
  /** Its attach state: a session that refuses every command, saying why. */
  attach: AttachStore;
  /** The live ring. */
  live: Recording;
  /** The recording on the timeline: the opened file's, or the live ring. */
  current(): Recording;
  scrubTo(t: number): void;
  seek(n: number): void;
  goLive(): void;
  /** To the previous (-1) or next (1) marker. */
  jump(direction: -1 | 1): void;
  stepInto(marker: Marker): void;
  stepTo(index: number): void;
  play(): void;
  pause(): void;
  exportBlob(options: ExportOptions): Promise<Blob>;
  open(data: Blob | ArrayBuffer, name: string): Promise<boolean>;
  openUrl(url: string): Promise<boolean>;
  dismissError(): void;
}

function createReplayStateStore() {
  return createStore<ReplayState>()(() => ({ mode: 'live', file: null, position: -1, at: 0, step: null, error: null, busy: null }));
}

export const STEP_MS = 1_200;
/** How long the timeline's thumb rests before the Load view's history is rebuilt for its moment. */
const HISTORY_REST_MS = 150;

export function createReplay(live: RuntimeStore, options: RecordingOptions & { now?: () => number } = {}): Replay {
  const now = options.now ?? (() => Date.now());
  const state = createReplayStateStore();
  const recording = new Recording(options);
  let file: Recording | null = null;
  const runtime = createRuntimeStore();
  const attach = createAttachStore();
  /**
   * The frame the replay store holds exactly, and how to undo the frames applied since the last
   * keyframe restore, newest last (null after a partial step: restore next time).
   */
  let held: { rec: Recording; n: number; undo: Array<Undo | null> } | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let historyTimer: ReturnType<typeof setTimeout> | null = null;

  const session: Session = {
    ...DETACHED,
    kill: refuse,
    exit: refuse,
    send: refuse,
    sendTerm: refuse,
    call: refuse,
    cast: refuse,
    startApplication: refuse,
    stopApplication: refuse,
    suspend: refuse,
    resume: refuse,
    requestTables: () => notFetched('the table list'),
    requestTable: () => notFetched("this table's contents"),
  };
  attach.setState({ session });
  // Reductions per second at a recorded moment: over the tick before it (rates.ts).
  let tickMs = 1_000;
  replayRates(runtime, () => tickMs);

  recording.start(live.getState(), now());
  live.getState().onIngest((m, s) => {
    if (m === null) {
      recording.start(s, now());
      if (file === null && state.getState().mode === 'replay') goLive();
    } else recording.record(m, s, now());
  });

  const current = (): Recording => file ?? recording;

  const connection = (): RuntimeState['connection'] => {
    const f = state.getState().file;
    const c = live.getState().connection;
    return { status: 'connected', target: f !== null ? `recording ${f.name}` : `recording of ${c.target || 'this runtime'}`, runtime: f?.header.runtime ?? c.runtime, granted: ['observe'], message: null };
  };

  const show = (n: number): void => {
    const rec = current();
    if (rec.empty) return;
    const target = Math.max(rec.firstN - 1, Math.min(n, rec.lastN));
    const prev = runtime.getState();
    // The rows the move may change, as they are now (the frames edit the Maps in place): the
    // views then follow a change of those rows, not a rebuild of every one (scrubCounters).
    const before = held !== null && held.rec === rec ? rowsTouched(rec, held.n, target, prev.processes, prev.processes.size / 2) : null;
    let s: RuntimeState | null = null;
    if (held !== null && held.rec === rec && target < held.n && held.n - target <= held.undo.length) {
      // A few frames back: undo them rather than restore a keyframe.
      s = runtime.getState();
      for (let i = held.n; i > target && s !== null; i--) {
        const u = held.undo.pop();
        s = u === undefined || u === null ? null : applyUndo(s, u);
      }
    } else if (held !== null && held.rec === rec && target >= held.n && rec.canAdvance(held.n, target, runtime.getState().processes.size)) {
      s = forward(rec, runtime.getState(), held.n, target, held.undo);
    }
    if (s === null) {
      const key = rec.keyOf(target);
      held = { rec, n: key, undo: [] };
      s = forward(rec, rec.stateAfter(key, prev.history) as RuntimeState, key, target, held.undo);
    }
    tickMs = tickBefore(rec, target) ?? tickMs;
    runtime.setState({ ...s, ...scrubCounters(prev, s, before), connection: connection() });
    // The charts' history is rebuilt once the thumb rests: a drag only moves the views that are cheap to move.
    if (historyTimer !== null) clearTimeout(historyTimer);
    historyTimer = setTimeout(() => {
      historyTimer = null;
      if (state.getState().mode === 'replay' && held?.rec === rec) runtime.setState({ history: rec.historyAt(held.n) });
    }, HISTORY_REST_MS);
    held = { rec, n: target, undo: held?.rec === rec ? held.undo : [] };
    state.setState({ mode: 'replay', position: target, at: rec.timeOf(target) });
  };

  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const goLive = (): void => {
    stop();
    if (file !== null) {
      file = null;
      held = null;
    }
    state.setState({ mode: 'live', file: null, step: null });
  };

  const stepTo = (index: number): void => {
    const step = state.getState().step;
    if (step === null) return;
    const rec = current();
    const total = step.facts.length;
    const k = Math.max(0, Math.min(index, total));
    show(step.from - 1);
    if (k > 0) {
      // Frames before the k-th fact's whole, that frame cut after it.
      const last = step.facts[k - 1]!;
      let s: RuntimeState = runtime.getState();
      for (let n = step.from; n < last.n; n++) {
        const f = rec.frame(n);
        if (f !== undefined) s = applyRecorded(s, f.m);
      }
      const frame = rec.frame(last.n);
      const partial = frame === undefined ? null : partialFrame(frame.m, step.facts.filter((f) => f.n === last.n).map((f) => f.fact), last.j, s);
      if (partial !== null) s = applyRecorded(s, partial);
      runtime.setState(s);
      held = partial === frame?.m ? { rec, n: last.n, undo: [] } : null;
      state.setState({ position: last.n, at: frame?.t ?? state.getState().at });
    }
    state.setState({ step: { ...step, index: k, playing: step.playing && k < total } });
    if (k >= total) stop();
  };

  const replay: Replay = {
    state,
    runtime,
    attach,
    live: recording,
    current,
    scrubTo(t) {
      stop();
      state.setState({ step: null });
      show(current().frameAt(t));
    },
    seek(n) {
      stop();
      state.setState({ step: null });
      show(n);
    },
    goLive,
    jump(direction) {
      const rec = current();
      const markers = rec.markers;
      const { mode, position } = state.getState();
      const from = mode === 'live' ? rec.lastN + 1 : position;
      const marker = direction < 0 ? [...markers].reverse().find((m) => m.n < from) : markers.find((m) => m.n > from);
      if (marker === undefined) return;
      stop();
      state.setState({ step: null });
      show(marker.n);
    },
    stepInto(marker) {
      stop();
      const { from, facts } = episodeOf(marker, current());
      show(from - 1);
      const before = runtime.getState();
      const gaveUp = new Set<Pid>();
      const texts = facts.map((f) => {
        const text = describeFact(f.fact, before, gaveUp);
        if (f.fact.type === 'orchard.supervisor.intensity_exceeded') gaveUp.add(f.fact.supervisor);
        return text;
      });
      state.setState({ step: { marker, from, facts, index: 0, playing: false, texts } });
      stepTo(0);
    },
    stepTo,
    play() {
      const step = state.getState().step;
      if (step === null) return;
      if (step.index >= step.facts.length) stepTo(0);
      state.setState({ step: { ...state.getState().step!, playing: true } });
      stop();
      timer = setInterval(() => {
        const s = state.getState().step;
        if (s === null || !s.playing) return stop();
        stepTo(s.index + 1);
      }, STEP_MS);
    },
    pause() {
      stop();
      const step = state.getState().step;
      if (step !== null) state.setState({ step: { ...step, playing: false } });
    },
    exportBlob(opts) {
      const c = live.getState().connection;
      const f = state.getState().file;
      return exportRecording(current(), { target: f?.header.target ?? c.target, runtime: f?.header.runtime ?? c.runtime, protocol: f?.header.protocol ?? current().frame(current().firstN)?.m.version ?? 2, ...opts });
    },
    async open(data, name) {
      state.setState({ busy: `opening ${name}…`, error: null });
      try {
        const opened = await openRecording(data);
        stop();
        file = opened.recording;
        held = null;
        state.setState({ file: { name, header: opened.header }, step: null, busy: null });
        // At the moment before its first marker: the tree as it was, the kill next (`]`).
        const first = file.markers[0];
        show(first !== undefined ? first.n - 1 : file.lastN);
        return true;
      } catch (e) {
        state.setState({ busy: null, error: `${name}: ${e instanceof RecordingError ? e.message : `it could not be read (${e instanceof Error ? e.message : String(e)})`}` });
        return false;
      }
    },
    async openUrl(url) {
      state.setState({ busy: `fetching ${url}…`, error: null });
      let data: ArrayBuffer;
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText}`);
        data = await res.arrayBuffer();
      } catch (e) {
        state.setState({ busy: null, error: `?recording=${url}: ${e instanceof Error ? e.message : String(e)}` });
        return false;
      }
      return replay.open(data, url.replace(/^.*\//, '') || url);
    },
    dismissError() {
      state.setState({ error: null });
    },
  };
  return replay;
}

/** How many frames back a scrub can undo (older ones are restored from a keyframe). */
const UNDO_FRAMES = 256;

/** Applies frames from+1..to, noting how to undo each (held.undo), newest last. */
function forward(rec: Recording, start: RuntimeState, from: number, to: number, undo: Array<Undo | null>): RuntimeState {
  let s = start;
  for (const f of rec.frames(from + 1, to)) {
    undo.push(undoFor(s, f.m));
    if (undo.length > UNDO_FRAMES) undo.shift();
    s = applyRecorded(s, f.m);
  }
  return s;
}

/** How long the tick that frame n (or the last tick before it) covered: between its data and the data before. */
function tickBefore(rec: Recording, n: number): number | null {
  let last: number | null = null;
  for (let i = n, seen = 0; i >= rec.firstN && seen < 64; i--, seen++) {
    const m = rec.frame(i)?.m;
    if (m === undefined || (m.type !== 'delta' && m.type !== 'snapshot')) continue;
    if (last === null) last = m.at;
    else if (m.at < last) return last - m.at;
  }
  return null;
}

function refuse(): Promise<CommandResult> {
  return Promise.resolve({ ok: false, code: 'not_connected', message: REPLAY_REASON });
}

function notFetched(what: string): Promise<CommandResult> {
  return Promise.resolve({ ok: false, code: 'not_connected', message: `${what} was not fetched at this moment of the recording` });
}
