import 'reflect-metadata';
import { IsInt, IsString, Min } from 'class-validator';
import { injectable } from 'tsyringe';
import { Service, Handle, On, createApp, type Context } from '@natsmesh/core';

class SaveBooking {
  @IsString() guest!: string;
  @IsInt() @Min(1) room!: number;
}

@injectable()
class BookingRepo {
  private readonly rows: SaveBooking[] = [];
  add(b: SaveBooking) { this.rows.push(b); return this.rows.length; }
}

@Service('hotel.booking', { version: '1.2.0', description: 'Room bookings' })
class BookingService {
  constructor(private readonly repo: BookingRepo) {}          // tsyringe DI by type

  @Handle('save')                        // subject hotel.booking.save, queue group hotel.booking
  async save(input: SaveBooking, ctx: Context) {              // input: validated SaveBooking
    const id = this.repo.add(input);
    ctx.emit('app.booking.save', { id, ...input });
    return { id };
  }

  @On('app.*.error')                     // every instance gets it (fan-out)
  onError(evt: unknown, ctx: Context) { ctx.log.warn({ evt }, 'error event'); }      // ctx.log adds service, endpoint, subject

  @On('app.*.save', { queue: true })     // one instance of this service gets it
  audit(evt: unknown) { /* … */ }
}

async function main() {
  const app = await createApp({ services: [BookingService], nats: { servers: 'nats://127.0.0.1:4222' } });
  // or createApp({ scan: 'dist/**/*.service.js' }) to import files and take every @Service found
  await app.start();
  const reply = await app.client.request('hotel.booking.save', { guest: 'Ann', room: 3 });
  console.log(reply);                                          // { id: 1 }
  app.client.emit('app.booking.error', { message: 'x' });
  await app.stop();                                            // drains: in-flight requests finish
}
main();
