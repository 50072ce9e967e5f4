import type { Step } from '../middleware/compose';
import type { MessageContext } from '../middleware/message-context';
import type { DtoValidator } from '../validation/dto-validator';

type HandlerFn = (input: unknown, ctx: MessageContext) => unknown;

/**
 * The innermost step of a server pipeline: validates `ctx.input` (a DTO input) and calls the
 * handler with it. Synchronous unless the validator or the handler is not.
 */
export function handlerStep(instance: object, method: string, validate: DtoValidator | undefined): Step<MessageContext> {
  const fn = (instance as Record<string, HandlerFn>)[method];
  if (validate === undefined) return (ctx) => fn.call(instance, ctx.input, ctx);
  return (ctx) => {
    let input: unknown;
    try {
      input = validate(ctx.input);
    } catch (err) {
      ctx.badInput = true;
      throw err;
    }
    if (!(input instanceof Promise)) return fn.call(instance, input, ctx);
    return input.then(
      (valid) => fn.call(instance, valid, ctx),
      (err: unknown) => {
        ctx.badInput = true;
        throw err;
      },
    );
  };
}
