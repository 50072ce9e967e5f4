import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { CODE_LABEL_LIMIT, createApp, Handle, MeshError, OTHER_CODE, Service, SLO_GOOD_CODES, type App } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { labelValues, sample } from './prom-text';

@Service('mc.svc')
class CodesService {
  @Handle('fail')
  fail(input: { code?: string }) {
    if (input.code === undefined) return 'fine';
    throw new MeshError(input.code, 'as asked');
  }
}

const MALFORMED = ['', 'has space', 'two\nlines', 'X'.repeat(300), 'lower_case', '9LIVES'];

describe('metrics code label', () => {
  let server: NatsServerHandle;
  let app: App;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [CodesService], nats: { servers: server.url }, logger: quietLogger(lines), discovery: false, metrics: { port: 0, defaultMetrics: false } });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('counts codes that do not look like codes, and codes past 50 per endpoint and subject, as OTHER, warning once each', async () => {
    const call = (code?: string) => app.client.request('mc.svc.fail', { code }).then(
      () => 'OK',
      (e: MeshError) => e.code,
    );
    expect(await call()).toBe('OK');
    for (const code of MALFORMED) expect(await call(code)).toBe(code);
    for (let i = 0; i < 60; i++) await call(`FOREIGN_${i}`);
    await call('FOREIGN_0');
    await call('OTHER');
    const text = await app.metrics!.metrics();

    const server = labelValues(text, 'natsmesh_requests_total', 'code');
    const client = labelValues(text, 'natsmesh_client_requests_total', 'code');
    for (const codes of [server, client]) {
      expect(codes).toHaveLength(52); // OK, 50 codes, OTHER
      expect(codes).toContain('OTHER');
      expect(codes).toContain('FOREIGN_49');
      expect(codes).not.toContain('FOREIGN_50');
      expect(codes.every((c) => /^[A-Z][A-Z0-9_]{0,63}$/.test(c))).toBe(true);
    }
    // 6 malformed, FOREIGN_50..59 and OTHER itself; FOREIGN_0 keeps its own series.
    expect(sample(text, 'natsmesh_requests_total', { service: 'mc.svc', endpoint: 'fail', code: 'OTHER' })).toBe(17);
    expect(sample(text, 'natsmesh_client_requests_total', { subject: 'mc.svc.fail', code: 'OTHER' })).toBe(17);
    expect(sample(text, 'natsmesh_requests_total', { service: 'mc.svc', endpoint: 'fail', code: 'FOREIGN_0' })).toBe(2);
    expect(sample(text, 'natsmesh_client_requests_total', { subject: 'mc.svc.fail', code: 'FOREIGN_0' })).toBe(2);

    expect(CODE_LABEL_LIMIT).toBe(50);
    // The SLO alert rules count every code not in SLO_GOOD_CODES as a failure: OTHER must be one.
    expect(SLO_GOOD_CODES).not.toContain(OTHER_CODE);

    const warnings = lines.filter((l) => l.level === 40).map((l) => String(l.msg));
    expect(warnings.filter((m) => /not look like a code/.test(m))).toHaveLength(2); // one for the endpoints, one for the client
    expect(warnings.filter((m) => /more than 50 codes/.test(m))).toHaveLength(2);
  });
});
