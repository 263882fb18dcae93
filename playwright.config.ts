import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
// vite.config.ts's server address; ORCHARD_PORT moves both (two checkouts testing side by side).
const PORT = Number(process.env.ORCHARD_PORT ?? 5173);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Debian's chromium package (.ci/run installs it). Playwright's own browser download cannot be
// relied on, so use the system one when it is there and Playwright's default otherwise.
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const launchOptions = existsSync(SYSTEM_CHROMIUM)
  ? {
      executablePath: SYSTEM_CHROMIUM,
      // Without the background-networking flags Chromium keeps dialing out, which a closed
      // network refuses over and over; --no-sandbox because CI runs as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }
  : {};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: CI ? 1 : 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
  ],
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
