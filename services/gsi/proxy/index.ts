/** Proxy certificates (RFC 3820, and legacy Globus ones recognised): make, describe, store. */
export {
  createProxy,
  DEFAULT_PROXY_BITS,
  DEFAULT_PROXY_LIFETIME_SECONDS,
  signProxy,
  type CreateProxyOptions,
  type ProxyCredential,
  type ProxyOptions,
  type SignedProxy,
} from './create-proxy.ts';
export { describeProxy, proxyTypeName, type ProxyDescription } from './describe-proxy.ts';
export {
  isLimitedProxy,
  PROXY_CERT_INFO_OID,
  PROXY_POLICY_OIDS,
  proxyKindOf,
  type ProxyCertInfo,
  type ProxyKind,
  type ProxyPolicy,
} from './proxy-cert-info.ts';
export {
  defaultProxyPath,
  formatProxyFile,
  readProxyFile,
  writeProxyFile,
  type ProxyFile,
  type ProxyFileContents,
} from './proxy-file.ts';
