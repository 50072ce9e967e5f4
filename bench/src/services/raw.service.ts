import { connect, JSONCodec } from 'nats';
import { EVENT_SUBJECT, REQUEST_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

/** Plain nats.js: `nc.subscribe` with a callback, JSONCodec both ways. */
export const startService: StartService = async (url, onEvent) => {
  const nc = await connect({ servers: url, name: 'bench-raw-service' });
  const codec = JSONCodec<{ guest: string; room: number }>();
  nc.subscribe(REQUEST_SUBJECT, {
    queue: 'bench',
    callback: (err, msg) => {
      if (err) return;
      msg.respond(codec.encode(replyOf(codec.decode(msg.data)) as never));
    },
  });
  nc.subscribe(EVENT_SUBJECT, {
    callback: (err, msg) => {
      if (err) return;
      codec.decode(msg.data);
      onEvent();
    },
  });
  await nc.flush();
  return { stop: () => nc.drain() };
};
