import { Parser } from '@asyncapi/parser';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceDescription } from '@natsmesh/core';
import { loadDescriptions, renderDocs, toAsyncApi, toMarkdown, writeDocs } from '@natsmesh/docs';
import { hotelDescriptions } from './hotel-descriptions';

const HOTEL = join(__dirname, '../../../examples/hotel');
const OPTIONS = { title: 'Hotel services', server: 'nats://localhost:4222' };

describe('docs of the hotel example', () => {
  const descriptions = hotelDescriptions();

  it('writes an AsyncAPI 3.0 document that @asyncapi/parser accepts with no error and no warning', async () => {
    const doc = toAsyncApi(descriptions, OPTIONS);
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    // Severity 0 is an error, 1 a warning; the parser only adds an info that 3.1.0 exists.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');

    const servers = document!.servers().all();
    expect(servers.map((s) => [s.host(), s.protocol()])).toEqual([['localhost:4222', 'nats']]);

    const save = document!.operations().get('hotel_booking_handle_save')!;
    expect(save.action()).toBe('receive');
    expect(save.channels().all().map((c) => c.address())).toEqual(['hotel.booking.save']);
    expect(save.bindings().get('nats')?.value()).toEqual({ queue: 'hotel.booking' });
    expect(save.reply()?.messages().all().map((m) => m.name())).toEqual(['saveReply', 'MeshError']);
    const payload = save.messages().all()[0]!.payload()!;
    expect(payload.title()).toBe('SaveBooking');
    expect(Object.keys(payload.properties() ?? {})).toEqual(['guest', 'room', 'nights', 'email']);
    expect(payload.required()).toEqual(['guest', 'room', 'nights']);

    const audit = document!.operations().get('hotel_compliance_on_onSave')!;
    expect(audit.channels().all()[0]!.address()).toBe('app.{wildcard1}.save');
    expect(audit.bindings().get('nats')?.value()).toEqual({ queue: 'hotel.compliance.onSave' });
    const log = document!.operations().get('hotel_persistence_on_store')!;
    expect(log.bindings().all()).toHaveLength(0);
    expect(log.channels().all()[0]!.parameters().all().map((p) => p.id())).toEqual(['rest']);

    const sends = document!.operations().all().filter((o) => o.action() === 'send');
    expect(sends.map((o) => o.channels().all()[0]!.address()).sort()).toEqual(
      descriptions.flatMap((s) => s.emits.map((e) => e.subject)).sort(),
    );
  });

  it('gives byte-identical files for the same services, also after a trip through JSON (as discovery serves them)', () => {
    const first = renderDocs(descriptions, OPTIONS);
    const again = renderDocs(hotelDescriptions(), OPTIONS);
    const overTheWire = renderDocs(JSON.parse(JSON.stringify([...descriptions].reverse())) as ServiceDescription[], OPTIONS);
    expect(Object.keys(first)).toEqual([
      'asyncapi.json',
      'hotel.booking.md',
      'hotel.compliance.md',
      'hotel.logging.md',
      'hotel.payments.md',
      'hotel.persistence.md',
      'hotel.rooms.md',
      'index.html',
      'index.md',
      'services.json',
    ]);
    expect(again).toEqual(first);
    expect(overTheWire).toEqual(first);
    // Two instances of a service describe it twice: the docs stay the same.
    expect(renderDocs([...descriptions, ...descriptions], OPTIONS)).toEqual(first);
  });

  it('writes the same bytes on every run of writeDocs', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'natsmesh-docs-a-')), mkdtempSync(join(tmpdir(), 'natsmesh-docs-b-'))];
    try {
      for (const dir of dirs) await writeDocs({ descriptions, outDir: dir, ...OPTIONS });
      const [a, b] = dirs.map((dir) => readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))] as const));
      expect(a!.map(([f]) => f)).toHaveLength(10);
      expect(b).toEqual(a);
      const written = Object.fromEntries(a!.map(([f, bytes]) => [f, bytes.toString('utf8')]));
      expect(written).toEqual(renderDocs(descriptions, OPTIONS));
      expect(written['index.html']).not.toMatch(/https?:\/\//);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a Markdown page per service with field tables and examples, and an index', () => {
    const pages = toMarkdown(descriptions);
    expect(pages['index.md']).toContain('| [hotel.booking](hotel.booking.md) | 1.0.0 | 4 | 0 | 3 |');
    expect(pages['index.md']).toContain('| `app.payments.error` | hotel.payments | hotel.logging (`app.*.error`), hotel.persistence (`app.>`) |');
    const booking = pages['hotel.booking.md']!;
    expect(booking).toContain('| `nights` | integer | yes | 1 ≤ value ≤ 30 | Nights to stay |');
    expect(booking).toContain('"guest": "Ann Smith"');
    expect(pages['hotel.compliance.md']).toContain('- Receives: `app.booking.save`, `app.payments.save`');
  });

  it('loads the same descriptions from a scan glob or a module as from the classes, connecting to nothing', async () => {
    const fromScan = await loadDescriptions({ scan: 'src/**/*.service.ts', cwd: HOTEL });
    const fromModule = await loadDescriptions({ modules: ['src/services.ts'], cwd: HOTEL });
    expect(fromScan.map((d) => d.name)).toEqual(['hotel.booking', 'hotel.compliance', 'hotel.logging', 'hotel.payments', 'hotel.persistence', 'hotel.rooms']);
    expect(renderDocs(fromScan, OPTIONS)).toEqual(renderDocs(descriptions, OPTIONS));
    expect(fromModule).toEqual(fromScan);
  });

  it('says what is wrong when there is nothing to load', async () => {
    await expect(loadDescriptions({})).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(loadDescriptions({ modules: ['src/hotel-app.ts'], cwd: HOTEL })).rejects.toMatchObject({ code: 'NO_SERVICES' });
    await expect(loadDescriptions({ modules: ['src/missing.js'], cwd: HOTEL })).rejects.toMatchObject({ code: 'LOAD_FAILED' });
  });
});
