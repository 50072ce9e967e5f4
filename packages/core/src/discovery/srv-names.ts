import { MeshError } from '../errors/mesh-error';
import type { ServiceDefinition } from '../scanner/service-definition';
import { toSrvName } from './discovery-subjects';

/**
 * Refuses service names, and endpoint names within a service, that would answer `$SRV` under
 * one name: `hotel.booking` and `hotel_booking` are both `hotel_booking` there, and monitors
 * and `$SRV.INFO.hotel_booking` would mix them up.
 *
 * @throws MeshError `INVALID_OPTIONS` naming both and the fix.
 */
export function checkSrvNames(definitions: readonly ServiceDefinition[]): void {
  const services = new Map<string, string>();
  for (const d of definitions) {
    claim(services, toSrvName(d.name), `"${d.name}" (${d.target.name})`, 'service');
    const endpoints = new Map<string, string>();
    for (const e of d.endpoints) claim(endpoints, toSrvName(e.name), `"${e.name}" (${d.target.name}.${e.method})`, `endpoint of "${d.name}"`);
  }
}

function claim(seen: Map<string, string>, srvName: string, who: string, what: string): void {
  const first = seen.get(srvName);
  if (first !== undefined) {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${first} and ${who} are both "${srvName}" on $SRV (the NATS Service API allows only [A-Za-z0-9_-] in names): rename one ${what}.`,
    );
  }
  seen.set(srvName, who);
}
