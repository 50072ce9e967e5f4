import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { toHtml } from '../src/html/to-html';
import { eventFlow } from '../src/model/event-flow';
import { normalizeDescriptions } from '../src/model/normalize-descriptions';
import { hotelDescriptions } from './hotel-descriptions';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../../.artifacts');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the HTML catalog in headless Chromium', () => {
  const descriptions = hotelDescriptions();
  const services = normalizeDescriptions(descriptions);
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium was not found at ${CHROMIUM}: install Debian's browser with "apt-get install -y chromium" ` +
          '(or set CHROMIUM_PATH). playwright-core downloads no browser here, so this test cannot run without it.',
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'docs-html.html');
    writeFileSync(file, toHtml(descriptions, { title: 'Hotel services' }));
    url = pathToFileURL(file).href;
    profile = mkdtempSync(join(tmpdir(), 'natsmesh-docs-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1440, height: 1000 },
      // No CSS transitions: the screenshot shows the settled page.
      reducedMotion: 'reduce',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders every hotel service in the list and as a section', async () => {
    const names = services.map((s) => s.name);
    expect(names).toHaveLength(6);
    expect(await page.locator('nav.catalog li .name').allTextContents()).toEqual(names);
    for (const name of names) {
      await expect(page.locator(`section.service[data-service="${name}"] h2`).isVisible()).resolves.toBe(true);
    }
    await expect(page.locator('section.service[data-service="hotel.booking"] article.op').count()).resolves.toBe(4 + 3);
    await expect(page.locator('#count').textContent()).resolves.toBe('6 of 6 services');
  });

  it('draws the graph: a node per publisher, subject, pattern and subscriber, an edge per link', async () => {
    const flow = eventFlow(services);
    const publishers = new Set(flow.events.flatMap((e) => e.publishers));
    const subscribers = new Set(flow.patterns.flatMap((p) => p.subscribers.map((r) => r.service)));
    const links =
      flow.events.reduce((n, e) => n + e.publishers.length + new Set(e.receivers.map((r) => r.pattern)).size, 0) +
      flow.patterns.reduce((n, p) => n + p.subscribers.length, 0);
    expect(links).toBe(8 + 16 + 6);
    await expect(page.locator('svg.graph .node').count()).resolves.toBe(publishers.size + flow.events.length + flow.patterns.length + subscribers.size);
    await expect(page.locator('svg.graph .edge').count()).resolves.toBe(links);
    await expect(page.locator('svg.graph .edge.queue').count()).resolves.toBe(2);
    const box = await page.locator('svg.graph').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(box!.height).toBeGreaterThan(300);

    await page.locator('svg.graph .node[data-service="hotel.payments"]').first().hover();
    await expect(page.locator('svg.graph.focus').count()).resolves.toBe(1);
    // hotel.payments publishes 3 subjects; each reaches its kind's pattern and app.>.
    await expect(page.locator('svg.graph .edge.on').count()).resolves.toBe(3 + 6 + 4);
    await page.mouse.move(2, 2);
  });

  it('filters the list and the sections as the user types in the search box', async () => {
    const search = page.locator('#search');
    await search.fill('compliance');
    await expect(page.locator('nav.catalog li:visible .name').allTextContents()).resolves.toEqual(['hotel.compliance']);
    await expect(page.locator('section.service:visible').count()).resolves.toBe(1);
    await expect(page.locator('#count').textContent()).resolves.toBe('1 of 6 services');

    await search.fill('roomhold');
    await expect(page.locator('nav.catalog li:visible .name').allTextContents()).resolves.toEqual(['hotel.rooms']);

    await search.fill('no such thing');
    await expect(page.locator('section.service:visible').count()).resolves.toBe(0);
    await expect(page.locator('#no-results').isVisible()).resolves.toBe(true);

    await search.fill('');
    await expect(page.locator('section.service:visible').count()).resolves.toBe(6);
    await expect(page.locator('#no-results').isVisible()).resolves.toBe(false);
  });

  it('logs no console error and requests nothing but the page itself; keeps screenshots', async () => {
    await page.locator('#search').blur();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-html.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'docs-html-full.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([url]);
  });
});
