import { startCanaryController } from './start-canary-controller';

describe('startCanaryController options', () => {
  it.each([
    [{ lockTtlMs: 0 }, /lockTtlMs is 0: use milliseconds above 0/],
    [{ services: 'hotel.booking' }, /services is "hotel.booking": list the service names/],
    [{ id: '' }, /id is "": use a non-empty string/],
    [{ domain: 5 }, /domain is 5: use the JetStream domain's name/],
  ])('refuses %p with INVALID_OPTIONS before connecting', async (options, message) => {
    await expect(startCanaryController(options as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) });
  });
});
