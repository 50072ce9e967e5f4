import type { Middleware, Next } from '@natsmesh/core';

/** A middleware that only passes on, in all four pipelines: what the pipeline itself costs. */
export class NoOp implements Middleware {
  constructor(readonly name: string) {}

  handle(_ctx: unknown, next: Next): unknown {
    return next();
  }

  event(_ctx: unknown, next: Next): unknown {
    return next();
  }

  call(_ctx: unknown, next: Next): unknown {
    return next();
  }

  emit(_ctx: unknown, next: Next): unknown {
    return next();
  }
}
