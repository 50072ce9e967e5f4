import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Handle, Service, createApp, createLogger, type Constructor } from '@natsmesh/core';
import { describeError, guardChild, send } from './harness/ipc';

/**
 * Builds `services` classes with `endpoints` handlers each by applying the decorators by hand,
 * as tsc would (design:paramtypes included), so that the boot path sees what it sees in an app.
 */
function generateServices(services: number, endpoints: number): Constructor[] {
  const classes: Constructor[] = [];
  for (let s = 0; s < services; s++) {
    const cls = class {} as Constructor;
    Object.defineProperty(cls, 'name', { value: `BootService${s}` });
    const proto = cls.prototype as Record<string, unknown>;
    for (let e = 0; e < endpoints; e++) {
      const method = `e${e}`;
      proto[method] = function (input: unknown) {
        return input;
      };
      Reflect.defineMetadata('design:paramtypes', [Object, Object], proto, method);
      Handle(method)(proto, method, Object.getOwnPropertyDescriptor(proto, method)!);
    }
    Reflect.defineMetadata('design:paramtypes', [], cls);
    Service(`boot.s${s}`)(cls);
    classes.push(cls);
  }
  return classes;
}

async function main(): Promise<void> {
  guardChild();
  const [url, services = '200', endpoints = '5'] = process.argv.slice(2);
  const t0 = performance.now();
  const classes = generateServices(Number(services), Number(endpoints));
  const t1 = performance.now();
  const app = await createApp({ services: classes, nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
  const t2 = performance.now();
  await app.start();
  const t3 = performance.now();
  send({ type: 'boot', decorateMs: t1 - t0, createAppMs: t2 - t1, startMs: t3 - t2, totalMs: t3 - t1, endpoints: app.definitions.reduce((n, d) => n + d.endpoints.length, 0) } as never);
  await app.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: describeError(err) });
  setTimeout(() => process.exit(2), 50);
});
