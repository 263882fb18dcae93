/**
 * A Chromium CPU profile (DevTools protocol `Profiler`) read for a person: the main thread's busy
 * time by function (self and inclusive), and every stretch of work longer than `longMs` with the
 * functions that took it. Used by profile.ts and profileScrub.ts.
 */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.slice(f.url.lastIndexOf('/') + 1);
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

export function report(profile: Profile, title: string, longMs = 30): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): string[] => {
    const out: string[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) out.push(label(byId.get(x)!));
    return out;
  };
  const idle = (id: number) => {
    const name = byId.get(id)!.callFrame.functionName;
    return name === '(idle)' || name === '(program)';
  };
  // Stretches of non-idle samples.
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const stretches: Array<{ from: number; to: number }> = [];
  let open = -1;
  for (let i = 0; i < profile.samples.length; i++) {
    const busy = !idle(profile.samples[i]!);
    if (busy && open < 0) open = i;
    if (!busy && open >= 0) {
      stretches.push({ from: open, to: i });
      open = -1;
    }
  }
  let total = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const dt = (times[i + 1]! - times[i]!) / 1000;
    const id = profile.samples[i]!;
    if (idle(id)) continue;
    total += dt;
    self.set(label(byId.get(id)!), (self.get(label(byId.get(id)!)) ?? 0) + dt);
    for (const f of new Set(stackOf(id))) inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const span = (profile.endTime - profile.startTime) / 1000;
  // (program): the browser's own work outside JavaScript (style, layout, paint), counted apart.
  let program = 0;
  for (let i = 0; i < profile.samples.length - 1; i++) {
    if (byId.get(profile.samples[i]!)!.callFrame.functionName === '(program)') program += (times[i + 1]! - times[i]!) / 1000;
  }
  console.log(`(program), the browser outside JavaScript: ${program.toFixed(0)} ms`);
  console.log(`\n== ${title}: main thread busy ${total.toFixed(0)} ms of ${span.toFixed(0)} ms`);
  console.log('-- self time, top 25');
  for (const [f, ms] of top(self, 25)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${f}`);
  console.log('-- inclusive time, top 30');
  for (const [f, ms] of top(inclusive, 30)) console.log(`${ms.toFixed(1).padStart(9)} ms  ${f}`);
  const long = stretches.map((s) => ({ ...s, ms: (times[s.to]! - times[s.from]!) / 1000 })).filter((s) => s.ms >= longMs);
  console.log(`-- ${long.length} stretches of work >= ${longMs} ms`);
  for (const s of long.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
    const own = new Map<string, number>();
    const incl = new Map<string, number>();
    for (let i = s.from; i < s.to; i++) {
      const dt = (times[i + 1]! - times[i]!) / 1000;
      const id = profile.samples[i]!;
      own.set(label(byId.get(id)!), (own.get(label(byId.get(id)!)) ?? 0) + dt);
      for (const f of new Set(stackOf(id))) incl.set(f, (incl.get(f) ?? 0) + dt);
    }
    console.log(`  ${s.ms.toFixed(1)} ms at +${((times[s.from]! - profile.startTime) / 1000).toFixed(0)} ms`);
    for (const [f, ms] of top(own, 6)) console.log(`      self ${ms.toFixed(1).padStart(7)} ms  ${f}`);
    for (const [f, ms] of top(incl, 14)) console.log(`      incl ${ms.toFixed(1).padStart(7)} ms  ${f}`);
  }
}

