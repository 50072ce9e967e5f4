import 'reflect-metadata';
import { Parser } from '@asyncapi/parser';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { describeService, Emits, Handle, On, scanService, Service, Use, type Constructor } from '@natsmesh/core';
import { toAsyncApi } from './to-asyncapi';

class Address {
  @IsString() street!: string;
}

class CreateGuest {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
}

class GuestCreated {
  @IsString() id!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
}

// A second, different class named Address, used by another service.
const OtherAddress = (() => {
  class Address {
    @IsInt() zip!: number;
  }
  return Address;
})();

class Move {
  @ValidateNested() @Type(() => OtherAddress) to!: InstanceType<typeof OtherAddress>;
}

@Emits('crm.guest.created', { payload: GuestCreated, description: 'A guest was created' })
@Service('crm.guests', { version: '1.1.0', description: 'Guests' })
class GuestsService {
  @Handle('create', { timeout: 2000, output: GuestCreated })
  @Use({ name: 'Audit', handle: (_ctx, next) => next() })
  create(input: CreateGuest) {
    return input;
  }
}

@Service('crm.moves')
class MovesService {
  @Handle('move', { subject: 'crm.moves.do' })
  move(input: Move) {
    return input;
  }
  @On('crm.*.created', { queue: 'movers', description: 'Any created thing' })
  @Use({ name: 'Dedupe', event: (_ctx, next) => next() })
  created(evt: GuestCreated) {
    return evt;
  }
  @On('crm.>')
  all() {}
}

const describe_ = (classes: Constructor[]) => classes.map((c) => describeService(scanService(c)));

describe('toAsyncApi', () => {
  const doc = toAsyncApi(describe_([MovesService, GuestsService]), { title: 'CRM', version: '2.0.0', server: 'nats://user:pw@nats.internal:4222' });

  it('passes @asyncapi/parser with no error or warning', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
  });

  it('writes info, a nats server without credentials, and sorted channels', () => {
    expect(doc.info.title).toBe('CRM');
    expect(doc.info.version).toBe('2.0.0');
    expect(doc.info.tags).toEqual([{ name: 'crm.guests', description: 'Guests (version 1.1.0)' }, { name: 'crm.moves' }]);
    expect(doc.servers).toEqual({ nats: { host: 'nats.internal:4222', protocol: 'nats', description: expect.any(String) } });
    expect(Object.keys(doc.channels)).toEqual([...Object.keys(doc.channels)].sort());
    expect(doc.channels.crm_STAR_created!.address).toBe('crm.{wildcard1}.created');
    expect(doc.channels.crm_STAR_created!.parameters).toEqual({ wildcard1: { description: expect.any(String), examples: ['guest'] } });
    expect(doc.channels.crm_GT!.parameters).toEqual({ rest: { description: expect.any(String), examples: ['guest.created'] } });
    expect(doc.channels.crm_moves_do!.address).toBe('crm.moves.do');
  });

  it('hoists each DTO and its nested classes into components.schemas, numbering a different class of a taken name', () => {
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas)).toEqual(['Address', 'Address_2', 'CreateGuest', 'GuestCreated', 'MeshErrorBody', 'MeshErrorHeaders', 'Move', 'RequestHeaders']);
    expect(schemas.CreateGuest!.properties!.address).toEqual({ $ref: '#/components/schemas/Address' });
    expect(schemas.GuestCreated!.properties!.address).toEqual({ $ref: '#/components/schemas/Address' });
    expect(schemas.Move!.properties!.to).toEqual({ $ref: '#/components/schemas/Address_2' });
    expect(schemas.Address_2!.properties).toEqual({ zip: { type: 'integer' } });
    expect(JSON.stringify(schemas)).not.toContain('$defs');
    expect(JSON.stringify(schemas)).not.toContain('$schema');
  });

  it('keeps one component for one nested class, whatever else the DTOs that use it nest', () => {
    class Line {
      @IsString() sku!: string;
    }
    class Note {
      @IsString() text!: string;
    }
    class Order {
      @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
      @ValidateNested() @Type(() => Note) note!: Note;
    }
    class Invoice {
      @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
    }
    @Service('shop.orders')
    class ShopService {
      @Handle('place')
      place(input: Order) {
        return input;
      }
      @Handle('bill')
      bill(input: Invoice) {
        return input;
      }
      @Handle('check')
      check(input: Line) {
        return input;
      }
    }
    const schemas = toAsyncApi(describe_([ShopService]), { title: 'Shop', version: '1.0.0' }).components.schemas;
    expect(Object.keys(schemas).filter((n) => !n.startsWith('Mesh') && n !== 'RequestHeaders')).toEqual(['Invoice', 'Line', 'Note', 'Order']);
    expect(schemas.Order!.properties!.lines).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Line' } });
    expect(schemas.Invoice!.properties!.lines).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Line' } });
  });

  it('makes request/reply endpoints receive operations with a reply and the error message', () => {
    const op = doc.operations.crm_guests_handle_create!;
    expect(op.action).toBe('receive');
    expect(op.bindings).toEqual({ nats: { queue: 'crm.guests', bindingVersion: '0.1.0' } });
    expect(op.description).toContain('2000 ms');
    expect(op.reply!.messages).toEqual([
      { $ref: '#/channels/crm_guests_create_reply/messages/reply' },
      { $ref: '#/channels/crm_guests_create_reply/messages/error' },
    ]);
    const reply = doc.channels.crm_guests_create_reply!;
    expect(reply.address).toBeNull();
    expect(reply.messages.reply).toMatchObject({ name: 'GuestCreated', payload: { $ref: '#/components/schemas/GuestCreated' } });
    expect(reply.messages.error).toEqual({ $ref: '#/components/messages/MeshError' });
    expect(doc.components.messages.MeshError!.headers).toEqual({ $ref: '#/components/schemas/MeshErrorHeaders' });
  });

  it('makes subscriptions receive operations (queue binding only for queue groups) and events send operations', () => {
    expect(doc.operations.crm_moves_on_created).toMatchObject({ action: 'receive', summary: 'Any created thing', bindings: { nats: { queue: 'movers' } } });
    expect(doc.operations.crm_moves_on_all!.bindings).toBeUndefined();
    expect(doc.operations['crm_guests_emits_crm_guest_created']).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/crm_guest_created' },
      messages: [{ $ref: '#/channels/crm_guest_created/messages/crm_guests' }],
    });
    expect(doc.channels.crm_guest_created!.messages.crm_guests).toMatchObject({ payload: { $ref: '#/components/schemas/GuestCreated' } });
  });

  it('lists the middleware around each endpoint and subscription as x-natsmesh-middleware, only where there is some', () => {
    expect(doc.operations.crm_guests_handle_create!['x-natsmesh-middleware']).toEqual(['Audit']);
    expect(doc.operations.crm_moves_on_created!['x-natsmesh-middleware']).toEqual(['Dedupe']);
    expect(doc.operations.crm_moves_on_all).not.toHaveProperty('x-natsmesh-middleware');
    expect(doc.operations.crm_moves_handle_move).not.toHaveProperty('x-natsmesh-middleware');
  });

  it('does not depend on the order the services come in', () => {
    const reversed = toAsyncApi(describe_([GuestsService, MovesService]), { title: 'CRM', version: '2.0.0', server: 'nats://user:pw@nats.internal:4222' });
    expect(JSON.stringify(reversed)).toBe(JSON.stringify(doc));
  });
});
