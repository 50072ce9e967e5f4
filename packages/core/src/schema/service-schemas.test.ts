import 'reflect-metadata';
import { IsInt, IsString, Min } from 'class-validator';
import { describeService } from '../app/describe';
import { Emits } from '../decorators/emits.decorator';
import { Handle } from '../decorators/handle.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import { scanService } from '../scanner/service-scanner';
import { Describe } from './describe.decorator';
import { toJsonSchema } from './to-json-schema';

class Hold {
  @Describe('Room number', { example: 7 }) @IsInt() @Min(1) room!: number;
}
class Held {
  @IsString() id!: string;
}

@Emits('app.rooms.held', { payload: Held })
@Service('schema.rooms', { emits: ['app.rooms.info'] })
class RoomsService {
  @Handle('hold', { output: Held })
  hold(input: Hold) {
    return { id: String(input.room) };
  }
  @Handle('list')
  list() {
    return [];
  }
  @On('app.*.held')
  held(evt: Held) {
    return evt;
  }
}

describe('describeService with schemas', () => {
  const d = describeService(scanService(RoomsService));

  it('adds the JSON Schema of every DTO next to its class name', () => {
    expect(d.endpoints[0]).toMatchObject({ input: 'Hold', output: 'Held', inputSchema: toJsonSchema(Hold), outputSchema: toJsonSchema(Held) });
    expect(d.endpoints[0]!.inputSchema!.properties!.room).toEqual({ description: 'Room number', type: 'integer', minimum: 1, examples: [7] });
    expect(d.subscriptions[0]).toMatchObject({ input: 'Held', inputSchema: toJsonSchema(Held) });
    expect(d.emits).toEqual([{ subject: 'app.rooms.info' }, { subject: 'app.rooms.held', payload: 'Held', payloadSchema: toJsonSchema(Held) }]);
  });

  it('leaves the schema out where there is no DTO, and stays plain JSON', () => {
    expect(Object.keys(d.endpoints[1]!)).toEqual(['name', 'subject', 'queue']);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
