import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

/** Paths of the PEM files {@link writeThrowawayCertificates} wrote. */
export interface ThrowawayCertificates {
  /** The CA certificate that signed the other two. */
  readonly caFile: string;
  /** Server certificate for `localhost` and `127.0.0.1` (server auth). */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** Client certificate `CN=natsmesh-test-client` (client auth). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

interface Issued {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface Pems {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

// One set per process: RSA key generation takes hundreds of ms on a busy machine, per key.
let pems: Pems | undefined;

/**
 * Writes a CA, a server certificate (SAN `localhost`, `127.0.0.1`, `::1`) and a client
 * certificate, all signed by that CA, into `dir` (mode 0600 for the keys). For tests only: the
 * keys are 2048-bit RSA made once per process, valid for a day, and nothing else trusts the CA.
 */
export async function writeThrowawayCertificates(dir: string): Promise<ThrowawayCertificates> {
  pems ??= makePems();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: ThrowawayCertificates = {
    caFile: join(dir, 'ca.pem'),
    serverCertFile: join(dir, 'server-cert.pem'),
    serverKeyFile: join(dir, 'server-key.pem'),
    clientCertFile: join(dir, 'client-cert.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
  };
  await writeFile(files.caFile, pems.ca);
  await writeFile(files.serverCertFile, pems.serverCert);
  await writeFile(files.serverKeyFile, pems.serverKey, { mode: 0o600 });
  await writeFile(files.clientCertFile, pems.clientCert);
  await writeFile(files.clientKeyFile, pems.clientKey, { mode: 0o600 });
  return files;
}

function makePems(): Pems {
  const ca = issue({ cn: 'natsmesh throwaway test CA', ca: true });
  const server = issue({ cn: 'localhost', issuer: ca, usage: 'serverAuth', san: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] });
  const client = issue({ cn: 'natsmesh-test-client', issuer: ca, usage: 'clientAuth' });
  return {
    ca: forge.pki.certificateToPem(ca.cert),
    serverCert: forge.pki.certificateToPem(server.cert),
    serverKey: forge.pki.privateKeyToPem(server.key),
    clientCert: forge.pki.certificateToPem(client.cert),
    clientKey: forge.pki.privateKeyToPem(client.key),
  };
}

interface IssueSpec {
  readonly cn: string;
  readonly ca?: boolean;
  readonly issuer?: Issued;
  readonly usage?: 'serverAuth' | 'clientAuth';
  readonly san?: readonly { type: number; value?: string; ip?: string }[];
}

function issue(spec: IssueSpec): Issued {
  // Node's native key generation: node-forge's pure-JavaScript RSA takes seconds per key.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial: the leading byte keeps the top bit clear.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + DAY_MS);
  const subject = [{ name: 'commonName', value: spec.cn }, { name: 'organizationName', value: 'natsmesh tests' }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  const extensions: object[] = spec.ca
    ? [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ]
    : [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: spec.usage === 'serverAuth', clientAuth: spec.usage === 'clientAuth' },
        { name: 'subjectKeyIdentifier' },
        ...(spec.issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: spec.issuer.cert.generateSubjectKeyIdentifier().getBytes() }] : []),
        ...(spec.san ? [{ name: 'subjectAltName', altNames: spec.san }] : []),
      ];
  cert.setExtensions(extensions);
  cert.sign(spec.issuer?.key ?? key, forge.md.sha256.create());
  return { cert, key };
}
