import { renderDocs } from './render-docs';
import { toHtml } from './html/to-html';
import { toMarkdown } from './markdown/to-markdown';
import { toAsyncApi } from './asyncapi/to-asyncapi';
import { svc } from './model/service-description.fixture';


describe('renderDocs', () => {
  it('renders only the chosen formats, files sorted by name', () => {
    expect(Object.keys(renderDocs([svc('a.b')], { formats: ['json', 'markdown'] }))).toEqual(['a.b.md', 'index.md', 'services.json']);
    expect(Object.keys(renderDocs([svc('a.b')], { formats: ['html'] }))).toEqual(['index.html']);
  });

  it('names the formats it knows when given another', () => {
    expect(() => renderDocs([], { formats: ['pdf' as never] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('asyncapi, html, json, markdown') }));
    expect(() => renderDocs([], { formats: [] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('gives one page per version when several versions of a service are documented', () => {
    expect(Object.keys(toMarkdown([svc('a'), svc('a', { version: '2.0.0' })]))).toEqual(['a@1.0.0.md', 'a@2.0.0.md', 'index.md']);
  });
});

const withMiddleware = svc('x', {
  endpoints: [{ name: 'get', subject: 'x.get', queue: 'x', middleware: ['rateLimit', '<img src=x onerror=alert(1)>', 'Audit'] } as never],
  subscriptions: [{ pattern: 'x.done', method: 'on', middleware: ['Dedupe'] }],
});

describe('toMarkdown', () => {
  it('lists the middleware around each endpoint and subscription, outermost first, names as escaped code', () => {
    const page = toMarkdown([withMiddleware, svc('y', { endpoints: [{ name: 'get', subject: 'y.get', queue: 'y' } as never] })]);
    expect(page['x.md']).toContain('- Middleware: `rateLimit` → `<img src=x onerror=alert(1)>` → `Audit`\n');
    expect(page['x.md']).toContain('- Middleware: `Dedupe`\n');
    expect(page['y.md']).not.toContain('Middleware');
    const odd = toMarkdown([svc('z', { endpoints: [{ name: 'get', subject: 'z.get', queue: 'z', middleware: ['a`b', 'c\nd'] } as never] })]);
    expect(odd['z.md']).toContain('- Middleware: ``a`b`` → `c d`\n');
  });
});

describe('toHtml', () => {
  it('escapes what services say about themselves', () => {
    const html = toHtml([svc('x', { description: '<script>alert(1)</script> & "quotes"' })], { title: 'A <b>title</b>' });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('<title>A &lt;b&gt;title&lt;/b&gt;</title>');
  });

  it('loads nothing from anywhere: inline style and script, a CSP that forbids the rest', () => {
    const html = toHtml([svc('x', { emits: [{ subject: 'e.x' }] }), svc('y', { subscriptions: [{ pattern: 'e.*', method: 'on' }] })]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)="(?!#|data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<svg class="graph"');
  });

  it('counts in the singular for one and the plural for any other number', () => {
    const one = svc('x', {
      endpoints: [{ name: 'get', subject: 'x.get', queue: 'x' } as never],
      emits: [{ subject: 'x.done' }],
      subscriptions: [{ pattern: 'x.done', method: 'on' }],
    });
    const html = toHtml([one]);
    expect(html).toContain('1 service · 1 endpoint · 1 event · 1 subscription<');
    expect(html).toContain('<span class="counts">1 endpoint · 1 subscription · 1 event</span>');
    expect(toHtml([svc('a'), svc('b')])).toContain('2 services · 0 endpoints · 0 events · 0 subscriptions<');
  });

  it('shows the middleware around each endpoint and subscription, outermost first, names escaped', () => {
    const html = toHtml([withMiddleware]);
    expect(html).toContain('<p class="middleware">Middleware: <code>rateLimit</code> → <code>&lt;img src=x onerror=alert(1)&gt;</code> → <code>Audit</code></p>');
    expect(html).toContain('<p class="middleware">Middleware: <code>Dedupe</code></p>');
    expect(html).not.toContain('<img src=x');
    expect(toHtml([svc('x', { endpoints: [{ name: 'get', subject: 'x.get', queue: 'x' } as never] })])).not.toContain('Middleware:');
  });

  it('leaves the graph out when no service publishes or subscribes', () => {
    expect(toHtml([svc('x')])).not.toContain('<svg class="graph"');
  });
});

describe('SLOs in the docs', () => {
  const withSlo = svc('s', {
    endpoints: [
      { name: 'save', subject: 's.save', queue: 's', slo: { errorRate: 0.001, p99: 250, window: '4w', clientCodes: ['CARD_DECLINED'] } } as never,
      { name: 'fast', subject: 's.fast', queue: 's', slo: { p99: 50 } } as never,
      { name: 'none', subject: 's.none', queue: 's' } as never,
    ],
  });

  it('shows each endpoint\'s SLO in Markdown, codes as code spans', () => {
    const page = toMarkdown([withSlo])['s.md']!;
    expect(page).toContain('- SLO: 99.9 % of requests succeed over 4w (server faults count; `CARD_DECLINED` does not), p99 ≤ 250 ms\n');
    expect(page).toContain('- SLO: p99 ≤ 50 ms\n');
    expect(page.match(/- SLO:/g)).toHaveLength(2);
  });

  it('shows each endpoint\'s SLO in HTML', () => {
    const html = toHtml([withSlo]);
    expect(html).toContain('<p class="slo">SLO: 99.9 % of requests succeed over 4w (server faults count; <code>CARD_DECLINED</code> does not), p99 ≤ 250 ms</p>');
    expect(html).toContain('<p class="slo">SLO: p99 ≤ 50 ms</p>');
    expect(html.match(/class="slo"/g)).toHaveLength(2);
  });

  it('puts the SLO in AsyncAPI as x-natsmesh-slo, only where there is one', () => {
    const slos = Object.values(toAsyncApi([withSlo]).operations)
      .map((o) => o['x-natsmesh-slo'])
      .filter((x) => x !== undefined);
    expect(slos).toEqual([{ p99: 50 }, { errorRate: 0.001, p99: 250, window: '4w', clientCodes: ['CARD_DECLINED'] }]);
  });
});
