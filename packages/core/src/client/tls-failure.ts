import { MeshError } from '../errors/mesh-error';
import { probeServerInfo } from './server-info-probe';

// Node's codes for a server certificate this client cannot verify (OpenSSL X509 verify results).
const UNTRUSTED_SERVER = /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_SELF_SIGNED_|CERT_|ERR_TLS_CERT_ALTNAME_INVALID$|HOSTNAME_MISMATCH$|INVALID_CA$|PATH_LENGTH_EXCEEDED$)/;
// An alert the server sent during the handshake: it refused this client's certificate (or its absence).
const REFUSED_BY_SERVER = /^ERR_SSL_.*ALERT/;

// How long a failed connection may wait to learn whether the server verifies client certificates.
const PROBE_MS = 1000;

/**
 * The `UNAUTHORIZED` error for a connection attempt that failed in TLS, saying which side's
 * certificate to check; `undefined` when `err` is not a TLS failure. The reason is Node's error
 * code or verify message, never a certificate, key or passphrase.
 *
 * A server that refuses the client certificate sometimes closes the socket before its alert
 * arrives, and the client sees only `ECONNRESET`: then the server's plain-text `INFO` says
 * whether it verifies clients (`tls_verify`). That probe runs only here, on a failed connect.
 */
export async function tlsFailure(err: unknown, servers: readonly string[], where: string): Promise<MeshError | undefined> {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  if ((code === 'ECONNRESET' || code === 'EPIPE') && (await probeServerInfo(servers, PROBE_MS))?.tls_verify === true) {
    return refusedCertificate(err, code, where);
  }
  return tlsError(err, where);
}

function refusedCertificate(err: unknown, code: string, where: string): MeshError {
  return new MeshError(
    'UNAUTHORIZED',
    `NATS at ${where} refused this client's TLS certificate (${code}): the server verifies clients (mTLS), so set nats.tls.certFile and nats.tls.keyFile (CLI: --tls-cert, --tls-key) to a client certificate signed by a CA the server trusts.`,
    undefined,
    { cause: err },
  );
}

function tlsError(err: unknown, where: string): MeshError | undefined {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  const message = String((err as Error | undefined)?.message ?? '');
  if (UNTRUSTED_SERVER.test(code)) {
    return new MeshError(
      'UNAUTHORIZED',
      `The TLS certificate of NATS at ${where} is not trusted (${message || code}): set nats.tls.caFile (CLI: --tls-ca) to the CA that signed it, and connect by a host name or IP address the certificate names.`,
      undefined,
      { cause: err },
    );
  }
  if (REFUSED_BY_SERVER.test(code)) return refusedCertificate(err, code, where);
  if (code === 'TLS' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || (code === 'SERVER_OPT_NA' && /tls/i.test(message))) {
    const reason = code === 'TLS' || code === 'SERVER_OPT_NA' ? message : code;
    return new MeshError(
      'UNAUTHORIZED',
      `TLS with NATS at ${where} failed (${reason}): check that the server offers TLS and the nats.tls options (caFile, certFile, keyFile; CLI: --tls-ca, --tls-cert, --tls-key).`,
      undefined,
      { cause: err },
    );
  }
  return undefined;
}
