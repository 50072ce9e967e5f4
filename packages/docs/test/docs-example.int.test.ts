import { Parser } from '@asyncapi/parser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateDocs } from './fixtures/documented-services';

describe('the example of docs/documenting-services.md', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'natsmesh-docs-example-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes AsyncAPI, HTML and Markdown with the documented schemas', async () => {
    const files = await generateDocs(out);
    expect(files.map((f) => basename(f))).toEqual(['asyncapi.json', 'hotel.audit.md', 'hotel.booking.md', 'index.html', 'index.md']);

    const asyncapi = readFileSync(join(out, 'asyncapi.json'), 'utf8');
    const { diagnostics } = await new Parser().parse(asyncapi);
    expect(diagnostics.filter((d) => d.severity <= 1)).toEqual([]);
    const schemas = (JSON.parse(asyncapi) as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(schemas.SaveBooking).toMatchObject({
      description: 'A booking request from the front desk',
      properties: {
        guest: { $ref: '#/components/schemas/Guest' },
        room: { description: 'Room number', type: 'integer', minimum: 1, examples: [101] },
        nights: { type: 'integer', minimum: 1, maximum: 30 },
        currency: { type: 'string', enum: ['EUR', 'USD'] },
      },
      required: ['guest', 'room', 'nights', 'currency'],
    });
    expect(schemas.Guest).toMatchObject({ required: ['name'] });

    const booking = readFileSync(join(out, 'hotel.booking.md'), 'utf8');
    expect(booking).toContain('| `guest.name` | string | yes |  | Full name |');
    expect(booking).toContain('- Received by: hotel.audit (`app.*.save`)');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('&quot;name&quot;: &quot;Ann Smith&quot;');
  });
});
