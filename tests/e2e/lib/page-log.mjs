// What the extension's pages said while a test ran, and what reached the fake AWS: printed when
// a wait times out, with a screenshot of every page still open when a test fails.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

export class PageLog {
  /** `levels`: the console message types kept; `getAws`: the fake AWS of the moment. */
  constructor({ getAws, levels = ['error', 'warning', 'info'] }) {
    this.getAws = getAws;
    this.levels = levels;
    this.messages = [];
    this.pages = [];
  }

  /** Records `page`'s uncaught errors and console messages under `label`; returns the page. */
  watch(page, label) {
    this.pages.push({ page, label });
    page.on('pageerror', (e) => this.messages.push(`[${label}] uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (this.levels.includes(m.type())) this.messages.push(`[${label}] console.${m.type()}: ${m.text()}`);
    });
    return page;
  }

  /** The requests the fake recorded and the pages' messages, for a failed wait. */
  context() {
    const aws = this.getAws();
    const lines = aws ? aws.requests.filter((r) => !r.url.endsWith('/favicon.ico'))
      .map((r) => `  ${r.method} ${r.fullUrl} -> ${r.status ?? '?'}${r.body ? `  body=${r.body}` : ''}`) : [];
    return `recorded requests to fake AWS:\n${lines.join('\n') || '  (none)'}\n`
      + `extension page messages:\n  ${this.messages.join('\n  ') || '(none)'}`;
  }

  /** Closes the pages a test opened (all but those labelled `keep`) and forgets their messages. */
  reset(keep = 'tab') {
    for (const { page, label } of this.pages) if (label !== keep && !page.isClosed()) page.close().catch(() => {});
    this.pages = [];
    this.messages = [];
  }

  /** A node:test test that, when it fails, saves a screenshot of each page still open. */
  test(name, { timeout, artifacts, prefix }, fn) {
    test(name, { timeout }, async () => {
      try {
        await fn();
      } catch (e) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50).replace(/-+$/, '');
        mkdirSync(artifacts, { recursive: true });
        for (const [i, { page, label }] of this.pages.entries()) {
          if (!page.isClosed()) await page.screenshot({ path: join(artifacts, `failure-${prefix}-${slug}-${i}-${label}.png`), timeout: 5_000 }).catch(() => {});
        }
        throw e;
      }
    });
  }
}
