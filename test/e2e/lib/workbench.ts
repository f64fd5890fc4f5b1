// Drives the VS Code workbench that code-server serves, in Debian's headless Chromium.
// The selectors are VS Code's own CSS classes and ARIA labels: they hold for the pinned code-server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM } from './env';

/** Polls `probe` until it returns something other than undefined or false; fails after `ms` with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(url: string): Promise<Workbench> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // No sandbox: CI runs as root. The rest keeps Chromium from reaching for the network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
      return new Workbench(browser, page);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async shot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command by its title through the command palette. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file with Quick Open and waits until the active editor's breadcrumbs show its path. */
  async openFile(relPath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    // The first pick must be this very file; the list fills in as the file search answers.
    const first = this.page.locator('.quick-input-list .monaco-list-row').first();
    const dir = path.dirname(relPath);
    await waitFor(`${relPath} as the first Quick Open pick`, async () => {
      const label = (await first.getAttribute('aria-label', { timeout: 1000 })) ?? '';
      return label.includes(path.basename(relPath)) && label.includes(dir);
    });
    await this.page.keyboard.press('Enter');
    // A file that was open already keeps its scroll position, so check the path, not a line.
    const crumbs = this.page.locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item');
    await waitFor(`${relPath} in the active editor`, async () =>
      (await crumbs.allInnerTexts())
        .map((c) => c.trim())
        .join('/')
        .startsWith(relPath),
    );
  }

  /** Moves the cursor with Go to Line, as a person types it (1-based line and column). */
  async goto(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await waitFor(`the cursor at ${line}:${column}`, async () =>
      (await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText()).includes(`Ln ${line}, Col ${column}`),
    );
  }

  /** The active editor's rendered line that contains `text`. */
  line(text: string): Locator {
    return this.page.locator('.editor-group-container.active .view-line', { hasText: text }).first();
  }

  /** The token span that is exactly `word` on the line that contains `lineText`. */
  token(lineText: string, word: string): Locator {
    return this.line(lineText)
      .locator('span > span')
      .filter({ hasText: new RegExp(`^\\s*${escape(word)}\\s*$`) })
      .first();
  }

  /** Shows the Problems panel with `filter` typed into its filter box; returns the row locator. */
  async problems(filter: string): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
    const input = this.page.locator('input[aria-label="Filter Problems"]');
    const badge = this.page.locator('.viewpane-filter-container', { hasText: /Showing \d+ of \d+/ });
    // A freshly opened panel can redraw its filter box and drop what was typed: type until it holds.
    await waitFor(`the Problems filter "${filter}" to apply`, async () => {
      if ((await input.inputValue()) !== filter) await input.fill(filter);
      return (await input.inputValue()) === filter && (await badge.isVisible());
    });
    return panel.locator('.monaco-list-row');
  }

  /** Hides the bottom panel, so the editor gets the height. */
  async hidePanel(): Promise<void> {
    const panel = this.page.locator('.part.panel');
    if (await panel.isVisible()) await this.page.keyboard.press('Control+J');
    await panel.waitFor({ state: 'hidden' });
  }

  /** Collapses a side bar section by its header's label, such as "Explorer Section". */
  async collapsePane(label: string): Promise<void> {
    const header = this.page.locator(`.pane-header[aria-label^="${label}"]`).first();
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    await waitFor(`${label} to collapse`, async () => (await header.getAttribute('aria-expanded')) === 'false');
  }

  /** Hovers `word` and waits for a hover whose text contains `expect`. */
  async hover(lineText: string, word: string, expect: string): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expect });
    await waitFor(`a hover with "${expect}" over ${word}`, async () => {
      // Move away and back: a hover that was cancelled by an earlier widget needs a fresh mouse move.
      await this.page.mouse.move(1, 1);
      await this.token(lineText, word).hover({ timeout: 2000 });
      return hover
        .first()
        .waitFor({ timeout: 4000 })
        .then(() => true);
    });
    return hover.first();
  }

  /** Drags the hover's east and south edges, as a person would to read a wide table whole. */
  async growHover(dx: number, dy: number): Promise<void> {
    const drag = async (sash: Locator, x: number, y: number) => {
      const box = await sash.boundingBox();
      if (!box) throw new Error('the hover has no sash to drag');
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      await this.page.mouse.move(cx, cy);
      await this.page.mouse.down();
      await this.page.mouse.move(cx + x, cy + y, { steps: 5 });
      await this.page.mouse.up();
    };
    await drag(this.page.locator('.monaco-resizable-hover .monaco-sash.vertical:not(.disabled)').first(), dx, 0);
    await drag(this.page.locator('.monaco-resizable-hover .monaco-sash.horizontal:not(.disabled)').first(), 0, dy);
  }

  /** Puts the cursor at a position, opens the quick-fix menu and returns its rows. */
  async codeActions(line: number, column: number): Promise<Locator> {
    await this.page.mouse.move(1, 1);
    await this.goto(line, column);
    const rows = this.page.locator('.action-widget .monaco-list-row');
    // Ctrl+. can land while focus is still on its way back from Go to Line: press again if no menu came.
    await waitFor('the quick-fix menu', async () => {
      if (!(await rows.first().isVisible())) {
        await this.page.keyboard.press('Control+.');
        await rows
          .first()
          .waitFor({ timeout: 5000 })
          .catch(() => undefined);
      }
      return rows.first().isVisible();
    });
    return rows;
  }

  /** The rows of a view in the side bar, by its title. */
  viewRows(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator(`.pane-header[aria-label^="${title}"]`) }).locator('.monaco-list-row');
  }

  statusItem(id: string): Locator {
    return this.page.locator(`[id="${id}"]`);
  }
}
