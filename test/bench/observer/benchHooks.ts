/**
 * What observer.bench.ts needs inside the page, beside the Observer: frame timings taken with
 * requestAnimationFrame, while scrolling, while a held pointer moves, or until a kill shows its new
 * pid.
 */
export {};

/** Frame-to-frame intervals (ms) from requestAnimationFrame for `ms` (or until `stop()`), the first one dropped. */
function frames(ms: number, onFrame?: (t: number) => void, stop?: () => boolean): Promise<number[]> {
  return new Promise((resolve) => {
    const out: number[] = [];
    let last = -1;
    let end = Infinity;
    const step = (t: number) => {
      if (last < 0) end = t + ms;
      else out.push(t - last);
      last = t;
      onFrame?.(t);
      if (t < end && stop?.() !== true) requestAnimationFrame(step);
      else resolve(out);
    };
    requestAnimationFrame(step);
  });
}

/** Scrolls `selector` by `step` px a frame, back and forth (nothing when no selector). */
function scroller(selector: string | null, step: number): (() => void) | undefined {
  if (selector === null) return undefined;
  const el = document.querySelector<HTMLElement>(selector);
  if (el === null) throw new Error(`no ${selector}`);
  let dir = 1;
  return () => {
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - step) dir = -1;
    else if (el.scrollTop <= 0) dir = 1;
    el.scrollTop += dir * step;
  };
}

/** The pointer of the last real press (Playwright's mouse), for moves dispatched while it is held. */
let pressed = -1;
window.addEventListener('pointerdown', (e) => (pressed = e.pointerId), true);

const bench = {
  frames,
  /**
   * With the pointer pressed on `selector` (a real press, so the page holds its capture), one
   * pointermove a frame at each of `xs` (client px, row `y`); the frames from the first move to
   * the one after the last. A drive from outside the page cannot keep to one move a frame.
   */
  pointerFrames(selector: string, xs: readonly number[], y: number): Promise<number[]> {
    const el = document.querySelector<HTMLElement>(selector);
    if (el === null) throw new Error(`no ${selector}`);
    if (pressed < 0) throw new Error('no pointer pressed');
    let i = 0;
    const move = () => {
      if (i < xs.length) el.dispatchEvent(new PointerEvent('pointermove', { pointerId: pressed, pointerType: 'mouse', isPrimary: true, buttons: 1, clientX: xs[i], clientY: y, bubbles: true, composed: true }));
      i++;
    };
    return frames(Infinity, move, () => i > xs.length);
  },
  /** Frames while the element scrolls by `step` px a frame, back and forth. */
  scrollFrames(selector: string, ms: number, step: number): Promise<number[]> {
    return frames(ms, scroller(selector, step));
  },
  /** Clicks `button` in a frame and returns the frames of the next `ms` (scrolling `scroll` as above, if given). */
  clickFrames(button: string, ms: number, scroll: string | null, step: number): Promise<number[]> {
    const b = document.querySelector<HTMLElement>(button);
    if (b === null) throw new Error(`no ${button}`);
    const onFrame = scroller(scroll, step);
    let clicked = false;
    return frames(ms, () => {
      if (!clicked) {
        clicked = true;
        b.click();
      }
      onFrame?.();
    });
  },
  /** Resolves once the text of `selector` has not changed for `quietMs` (or after `maxMs`), with the ms waited. */
  settled(selector: string, quietMs: number, maxMs: number): Promise<number> {
    const t0 = performance.now();
    let text = document.querySelector(selector)?.textContent;
    let since = t0;
    return new Promise((resolve) => {
      const poll = () => {
        const now = performance.now();
        const t = document.querySelector(selector)?.textContent;
        if (t !== text) {
          text = t;
          since = now;
        }
        if (now - since >= quietMs || now - t0 >= maxMs) resolve(now - t0);
        else setTimeout(poll, 50);
      };
      poll();
    });
  },
  /**
   * Clicks `button` and resolves with the ms until the element `selector` shows a `data-pid`
   * other than `old` in a frame about to be painted.
   */
  clickUntilNewPid(button: string, selector: string, old: string): Promise<number> {
    const b = document.querySelector<HTMLElement>(button);
    if (b === null) throw new Error(`no ${button}`);
    const t0 = performance.now();
    b.click();
    return new Promise((resolve, reject) => {
      const give = t0 + 5000;
      const step = (t: number) => {
        const pid = document.querySelector<HTMLElement>(selector)?.dataset.pid;
        if (pid !== undefined && pid !== '' && pid !== old) return resolve(t - t0);
        if (t > give) return reject(new Error(`no new pid in ${selector} after 5 s`));
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  },
};

declare global {
  interface Window {
    orchardBench: typeof bench;
  }
}

window.orchardBench = bench;
