import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const DIR = join(__dirname, 'fixtures', 'micro-v1-schemas');
const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
const byType = new Map(
  ['ping', 'info', 'stats'].map((verb) => {
    const schema = JSON.parse(readFileSync(join(DIR, `${verb}_response.json`), 'utf8')) as { title: string };
    return [schema.title, ajv.compile(schema)] as const;
  }),
);

/**
 * Checks a `$SRV.PING|INFO|STATS` reply against the official `io.nats.micro.v1.*_response`
 * schema its `type` names (nats-io/jsm.go); throws with every violation otherwise.
 */
export function assertSrvResponse(reply: unknown): void {
  const type = (reply as { type?: unknown } | null)?.type;
  const validate = byType.get(String(type));
  if (!validate) throw new Error(`not a NATS micro v1 response: type ${JSON.stringify(type)}`);
  if (!validate(reply)) {
    throw new Error(`${String(type)} breaks the official schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(reply)}`);
  }
}
