// Polling for end-to-end tests: wait until a condition holds, or fail saying what was awaited,
// what was last seen, and (from `context`) what the fake AWS and the extension pages recorded.
import assert from 'node:assert/strict';

export const WAIT_MS = 15_000;

/**
 * Resolves with `fn()`'s first truthy result, polling every 100 ms for `timeout` ms.
 * `show()` describes what the page shows on failure; `context()` adds the test's own record.
 */
export async function waitUntil(what, fn, { timeout = WAIT_MS, show, context } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = show ? await Promise.resolve().then(show).catch((e) => `(could not read: ${e.message})`) : last;
      throw new assert.AssertionError({
        message: `timed out after ${timeout} ms waiting for: ${what}\n`
          + `seen: ${typeof seen === 'string' ? seen : JSON.stringify(seen)}`
          + (lastError ? `\nlast error: ${lastError.message.split('\n')[0]}` : '')
          + (context ? `\n${context()}` : ''),
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Resolves or rejects as `promise` does, or rejects after `ms` saying `what` never settled.
 * Playwright calls on a worker or a page that is going away can otherwise wait forever,
 * and one such call would stall every test after it.
 */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
