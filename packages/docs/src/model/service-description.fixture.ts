import type { ServiceDescription } from '@natsmesh/core';

/** A minimal service description for unit tests, with `extra` fields on top. */
export const svc = (name: string, extra: Partial<ServiceDescription> = {}): ServiceDescription => ({
  name,
  version: '1.0.0',
  queue: name,
  metadata: {},
  calls: [],
  emits: [],
  endpoints: [],
  subscriptions: [],
  ...extra,
});
