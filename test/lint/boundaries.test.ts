/**
 * The layers' import boundaries (DESIGN.md, "Layers and the one way data flows") are enforced by
 * `.oxlintrc.json`, which `npm run lint` runs as part of `npm test`. These tests lint small probe
 * files laid out as the repository is (in a temporary folder, with the repository's own config)
 * and check that each crossing is refused with the layer's message, and that the allowed doors
 * stay open.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OXLINT = join(ROOT, 'node_modules/.bin/oxlint');

/** Probe files (path → source), each crossing or respecting one boundary. */
const PROBES: Record<string, string> = {
  'runtime/core/importsNode.ts': "import { startNode } from '../node/startNode.ts';\nexport const x = startNode;\n",
  'runtime/core/importsInspector.ts': "import { exposeInspector } from '../inspector/index.ts';\nexport const x = exposeInspector;\n",
  'runtime/core/usesWindow.ts': 'export const x = window.location;\n',
  'runtime/core/usesPostMessage.ts': "export const x = () => postMessage('hi');\n",
  'runtime/core/importsNodeBuiltin.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  'runtime/core/usesMessageChannel.ts': 'export const x = new MessageChannel();\n',
  'runtime/inspector/importsApp.ts': "import { useRuntime } from '../../app/context/ObserverContext.tsx';\nexport const x = useRuntime;\n",
  'runtime/worker/importsReact.ts': "import { useState } from 'react';\nexport const x = useState;\n",
  'runtime/inspector/importsCore.ts': "import { Scheduler } from '../core/index.ts';\nexport const x = Scheduler;\n",
  'app/views/importsCore.ts': "import { Scheduler } from '../../runtime/core/index.ts';\nexport const x = Scheduler;\n",
  'app/views/importsProtocol.ts': "import { envelope } from '../../runtime/protocol/index.ts';\nexport const x = envelope;\n",
  'app/host/importsCore.ts': "import { Scheduler } from '../../runtime/core/index.ts';\nexport const x = Scheduler;\n",
};

interface Diagnostic {
  code: string;
  severity: string;
  filename: string;
  help?: string;
  message: string;
}

let dir = '';
let errors: Diagnostic[] = [];

/** The errors reported for one probe, as "code: help or message" lines. */
const errorsOf = (file: string): string[] =>
  errors.filter((d) => d.filename.replaceAll('\\', '/') === file).map((d) => `${d.code}: ${d.help ?? ''} ${d.message}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'orchard-lint-'));
  copyFileSync(join(ROOT, '.oxlintrc.json'), join(dir, '.oxlintrc.json'));
  for (const [file, source] of Object.entries(PROBES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), source);
  }
  let out: string;
  try {
    out = execFileSync(OXLINT, ['-c', '.oxlintrc.json', '--format', 'json', 'runtime', 'app'], { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    // oxlint exits 1 when it finds errors; its report is still on stdout.
    out = (e as { stdout: string }).stdout;
  }
  errors = (JSON.parse(out) as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.severity === 'error');
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('import boundaries (.oxlintrc.json)', () => {
  it('runtime/core imports no layer built on it', () => {
    expect(errorsOf('runtime/core/importsNode.ts')).toEqual([expect.stringContaining('runtime/core imports nothing of the layers built on it')]);
    expect(errorsOf('runtime/core/importsInspector.ts')).toEqual([expect.stringContaining('runtime/core imports nothing of the layers built on it')]);
  });

  it('runtime/core is host-free: no window, no postMessage, no node: modules; MessageChannel stays allowed', () => {
    expect(errorsOf('runtime/core/usesWindow.ts')).toEqual([expect.stringContaining('runtime/core is host-free')]);
    expect(errorsOf('runtime/core/usesPostMessage.ts')).toEqual([expect.stringContaining('runtime/core is host-free')]);
    expect(errorsOf('runtime/core/importsNodeBuiltin.ts')).toEqual([expect.stringContaining('runtime/core is host-free')]);
    expect(errorsOf('runtime/core/usesMessageChannel.ts')).toEqual([]);
  });

  it('runtime/ never imports app/ or React', () => {
    expect(errorsOf('runtime/inspector/importsApp.ts')).toEqual([expect.stringContaining('runtime/ never imports app/')]);
    expect(errorsOf('runtime/worker/importsReact.ts')).toEqual([expect.stringContaining('runtime/ never imports app/')]);
    expect(errorsOf('runtime/inspector/importsCore.ts')).toEqual([]);
  });

  it('app/ reaches a runtime only through runtime/protocol; app/host may start one', () => {
    expect(errorsOf('app/views/importsCore.ts')).toEqual([expect.stringContaining('app/ speaks to a runtime only through the inspector protocol')]);
    expect(errorsOf('app/views/importsProtocol.ts')).toEqual([]);
    expect(errorsOf('app/host/importsCore.ts')).toEqual([]);
  });
});
