import { ERROR_CODE_HEADER, ERROR_HEADER, TIMEOUT_HEADER, type JsonSchema, type ServiceDescription, type SloOptions } from '@natsmesh/core';
import { compare, normalizeDescriptions } from '../model/normalize-descriptions';
import { subjectMatches } from '../model/subject-match';
import { addressOf, KeyRegistry, keyOf } from './asyncapi-ids';
import { SchemaComponents } from './schema-components';

/** Options of {@link toAsyncApi}. */
export interface AsyncApiOptions {
  /** `info.title`; default `natsmesh services`. */
  readonly title?: string;
  /** `info.version` of the document; default `1.0.0`. */
  readonly version?: string;
  /** `info.description`; default a sentence on what the document holds. */
  readonly description?: string;
  /** NATS server URL of the `servers.nats` entry; default `nats://localhost:4222`. */
  readonly server?: string;
}

/** An AsyncAPI 3.0.0 document as plain JSON data. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string; tags: { name: string; description?: string }[] };
  defaultContentType: 'application/json';
  servers: Record<string, { host: string; protocol: 'nats'; description: string }>;
  channels: Record<string, Channel>;
  operations: Record<string, Operation>;
  components: { schemas: Record<string, JsonSchema>; messages: Record<string, Message> };
}

type Ref = { $ref: string };
interface Message {
  name: string;
  title: string;
  summary?: string;
  contentType: 'application/json';
  headers?: JsonSchema;
  payload?: JsonSchema;
}
interface Channel {
  address: string | null;
  title?: string;
  description: string;
  parameters?: Record<string, { description: string; examples?: string[] }>;
  messages: Record<string, Message | Ref>;
}
interface Operation {
  action: 'send' | 'receive';
  channel: Ref;
  title: string;
  summary?: string;
  description?: string;
  tags: { name: string }[];
  messages: Ref[];
  reply?: { channel: Ref; messages: Ref[] };
  bindings?: { nats: { queue: string; bindingVersion: '0.1.0' } };
  /** Names of the middleware around the handler, outermost first (a specification extension). */
  'x-natsmesh-middleware'?: string[];
  /** The endpoint's service level objective (a specification extension). */
  'x-natsmesh-slo'?: SloOptions;
}

const NATS_BINDING_VERSION = '0.1.0';

/**
 * The AsyncAPI 3.0.0 document of a set of services: one channel per subject (wildcards become
 * address parameters), a `receive` operation per endpoint (request/reply, with the error reply)
 * and per subscription, a `send` operation per declared event, the NATS queue group as the
 * operation binding, and the DTO schemas under `components.schemas`.
 *
 * @example
 * const doc = toAsyncApi(app.describe(), { title: 'Hotel', server: 'nats://nats.internal:4222' });
 */
export function toAsyncApi(descriptions: readonly ServiceDescription[], options: AsyncApiOptions = {}): AsyncApiDocument {
  const services = normalizeDescriptions(descriptions);
  const schemas = new SchemaComponents();
  for (const [name, schema] of Object.entries(FIXED_SCHEMAS)) schemas.put(name, schema);
  const channelKeys = new KeyRegistry();
  const channels = new Map<string, Channel>();
  const operations = new Map<string, Operation>();
  const operationKeys = new KeyRegistry();
  const emitted = [...new Set(services.flatMap((s) => s.emits.map((e) => e.subject)))].sort(compare);

  const channel = (subject: string): { key: string; ch: Channel } => {
    const key = channelKeys.keyFor(subject);
    let ch = channels.get(key);
    if (!ch) {
      const { address, parameters } = addressOf(subject);
      if (parameters.length === 0) {
        ch = { address, description: `NATS subject \`${subject}\`.`, messages: {} };
      } else {
        const params = parameters.map((p) => {
          const examples = [...new Set(emitted.filter((s) => subjectMatches(subject, s)).map((s) => s.split('.').slice(p.index, p.rest ? undefined : p.index + 1).join('.')))];
          const description = p.rest ? 'One or more tokens (the NATS wildcard `>`).' : 'Any single token (the NATS wildcard `*`).';
          return [p.name, examples.length > 0 ? { description, examples } : { description }] as const;
        });
        ch = {
          address,
          description: `NATS subscription pattern \`${subject}\`: every subject it matches.`,
          parameters: Object.fromEntries(params),
          messages: {},
        };
      }
      channels.set(key, ch);
    }
    return { key, ch };
  };
  const payloadOf = (schema: JsonSchema | undefined, name: string | undefined): JsonSchema | undefined =>
    schema === undefined ? undefined : schemas.add(schema, name ?? 'Payload');
  const tags = (s: ServiceDescription) => [{ name: s.name }];

  for (const s of services) {
    const sk = keyOf(s.name);
    for (const e of s.endpoints) {
      const { key, ch } = channel(e.subject);
      ch.messages.request = message(e.input ?? `${e.name}Request`, `${s.name} ${e.name} request`, e.description, payloadOf(e.inputSchema, e.input), {
        $ref: '#/components/schemas/RequestHeaders',
      });
      const replyKey = channelKeys.keyFor(`${e.subject} (reply)`, `${e.subject}.reply`);
      channels.set(replyKey, {
        address: null,
        title: `Reply of ${e.subject}`,
        description: 'The reply subject (an `_INBOX.` subject) the requester set on its request: NATS delivers the reply there.',
        messages: {
          reply: message(e.output ?? `${e.name}Reply`, `${s.name} ${e.name} reply`, undefined, payloadOf(e.outputSchema, e.output)),
          error: { $ref: '#/components/messages/MeshError' },
        },
      });
      const timeout = e.timeout !== undefined ? ` Callers wait ${e.timeout} ms by default.` : '';
      operations.set(operationKeys.keyFor(`${s.name} handle ${e.name}`, `${s.name}.handle.${e.name}`), {
        action: 'receive',
        channel: { $ref: `#/channels/${key}` },
        title: `${s.name} handles ${e.name}`,
        ...(e.description ? { summary: e.description } : {}),
        description: `Request/reply on \`${e.subject}\`, load-balanced over the instances in queue group \`${e.queue}\`.${timeout} Failures are answered with the \`MeshError\` message.`,
        tags: tags(s),
        messages: [{ $ref: `#/channels/${key}/messages/request` }],
        reply: {
          channel: { $ref: `#/channels/${replyKey}` },
          messages: [{ $ref: `#/channels/${replyKey}/messages/reply` }, { $ref: `#/channels/${replyKey}/messages/error` }],
        },
        bindings: { nats: { queue: e.queue, bindingVersion: NATS_BINDING_VERSION } },
        ...middlewareOf(e),
        ...(e.slo ? { 'x-natsmesh-slo': { ...e.slo, ...(e.slo.clientCodes ? { clientCodes: [...e.slo.clientCodes] } : {}) } } : {}),
      });
    }
    for (const sub of s.subscriptions) {
      const { key, ch } = channel(sub.pattern);
      const mk = `${sk}_${keyOf(sub.method)}`;
      ch.messages[mk] = message(sub.input ?? `${sub.method}Event`, `${s.name} ${sub.method} event`, sub.description, payloadOf(sub.inputSchema, sub.input));
      const delivery = sub.queue
        ? `One instance of queue group \`${sub.queue}\` gets each event.`
        : 'Every instance gets every event (fan-out).';
      operations.set(operationKeys.keyFor(`${s.name} on ${sub.method}`, `${s.name}.on.${sub.method}`), {
        action: 'receive',
        channel: { $ref: `#/channels/${key}` },
        title: `${s.name} receives ${sub.pattern}`,
        ...(sub.description ? { summary: sub.description } : {}),
        description: `${delivery}${sub.durable ? ` JetStream durable consumer \`${sub.durable}\`.` : ''}`,
        tags: tags(s),
        messages: [{ $ref: `#/channels/${key}/messages/${mk}` }],
        ...(sub.queue ? { bindings: { nats: { queue: sub.queue, bindingVersion: NATS_BINDING_VERSION } } } : {}),
        ...middlewareOf(sub),
      });
    }
    for (const e of s.emits) {
      const { key, ch } = channel(e.subject);
      const mk = sk;
      ch.messages[mk] = message(e.payload ?? `${keyOf(e.subject)}Event`, `${e.subject} from ${s.name}`, e.description, payloadOf(e.payloadSchema, e.payload));
      operations.set(operationKeys.keyFor(`${s.name} emits ${e.subject}`, `${s.name}.emits.${e.subject}`), {
        action: 'send',
        channel: { $ref: `#/channels/${key}` },
        title: `${s.name} publishes ${e.subject}`,
        ...(e.description ? { summary: e.description } : {}),
        tags: tags(s),
        messages: [{ $ref: `#/channels/${key}/messages/${mk}` }],
      });
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? 'natsmesh services',
      version: options.version ?? '1.0.0',
      description:
        options.description ??
        'Generated from natsmesh service metadata: the request/reply endpoints of each service, the events they publish and the subscriptions that receive them.',
      tags: services.map((s) => (s.description ? { name: s.name, description: `${s.description} (version ${s.version})` } : { name: s.name })),
    },
    defaultContentType: 'application/json',
    servers: { nats: { host: hostOf(options.server), protocol: 'nats', description: 'The NATS server (or cluster) the services connect to.' } },
    channels: sortedRecord(channels, (c) => ({ ...c, messages: sortedRecord(new Map(Object.entries(c.messages))) })),
    operations: sortedRecord(operations),
    components: {
      schemas: schemas.toJSON(),
      messages: { MeshError: ERROR_MESSAGE },
    },
  };
}

function message(name: string, title: string, summary: string | undefined, payload: JsonSchema | undefined, headers?: JsonSchema): Message {
  return { name, title, ...(summary ? { summary } : {}), contentType: 'application/json', ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) };
}

function hostOf(server: string | undefined): string {
  const url = server ?? 'nats://localhost:4222';
  const m = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(url);
  return m ? m[1]! : url;
}

function sortedRecord<T>(map: Map<string, T>, each: (v: T) => T = (v) => v): Record<string, T> {
  return Object.fromEntries([...map.keys()].sort(compare).map((k) => [k, each(map.get(k)!)]));
}

const FIXED_SCHEMAS: Record<string, JsonSchema> = {
  MeshErrorBody: {
    title: 'MeshErrorBody',
    description: 'Body of an error reply; the caller gets a MeshError with the same code, message and details.',
    type: 'object',
    properties: {
      code: { description: 'Machine-readable code, such as VALIDATION_FAILED, NOT_FOUND, CONFLICT, TIMEOUT, INTERNAL or a code of the service.', type: 'string', examples: ['NOT_FOUND'] },
      message: { description: 'What happened and what to do about it.', type: 'string' },
      details: { description: 'Structured data; for VALIDATION_FAILED one { field, constraints } entry per failed field.' },
    },
    required: ['code', 'message'],
  },
  MeshErrorHeaders: {
    title: 'MeshErrorHeaders',
    description: 'NATS Service API (ADR-32) error headers.',
    type: 'object',
    properties: {
      [ERROR_HEADER]: { description: 'The error message.', type: 'string' },
      [ERROR_CODE_HEADER]: { description: 'HTTP-like status, such as 400, 404 or 500.', type: 'string', pattern: '^[0-9]{3}$', examples: ['404'] },
    },
    required: [ERROR_HEADER, ERROR_CODE_HEADER],
  },
  RequestHeaders: {
    title: 'RequestHeaders',
    description: 'Headers natsmesh reads on a request; plain NATS clients may leave them out.',
    type: 'object',
    properties: {
      [TIMEOUT_HEADER]: { description: 'Milliseconds the caller still waits: the handler\'s deadline and the budget of its own requests.', type: 'string', pattern: '^[0-9]+$' },
    },
  },
};

const ERROR_MESSAGE: Message = {
  name: 'MeshError',
  title: 'Error reply',
  summary: 'A failed request: the Nats-Service-Error headers and a { code, message, details } JSON body.',
  contentType: 'application/json',
  headers: { $ref: '#/components/schemas/MeshErrorHeaders' },
  payload: { $ref: '#/components/schemas/MeshErrorBody' },
};

function middlewareOf(handler: { middleware?: string[] }): Pick<Operation, 'x-natsmesh-middleware'> {
  return handler.middleware ? { 'x-natsmesh-middleware': [...handler.middleware] } : {};
}
