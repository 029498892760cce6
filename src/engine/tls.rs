//! TLS as redis-cli names it: `--cacert`, `--cert`/`--key` (mutual TLS), `--sni`, `--insecure`.
//!
//! The trust store is the platform's (rustls-native-certs, which honours `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`) plus `--cacert`; without either, the bundled public roots. The settings are
//! installed once per run (`install`, from `config::resolve`) and applied to every connection
//! the engine opens: the seed, every cluster node, reconnects and the `--rdb-sync` socket.
//! A certificate that fails verification is explained in one line (`explain`).

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use redis::{ConnectionAddr, ConnectionInfo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tracing::debug;

use crate::error::usage;

/// The TLS options as given (flag, then environment, then profile).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TlsOptions {
    pub cacert: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub sni: Option<String>,
    pub insecure: bool,
}

impl TlsOptions {
    pub fn is_empty(&self) -> bool {
        *self == TlsOptions::default()
    }
}

/// The loaded settings every TLS connection uses.
pub struct Tls {
    /// for redis-rs: a `TcpTls` address carrying the trust store and client identity
    /// (redis-rs does not name the parameters' type)
    template: ConnectionAddr,
    /// for the `--rdb-sync` socket, which is ours
    config: Arc<rustls::ClientConfig>,
    sni: Option<String>,
    insecure: bool,
    /// a client certificate is presented
    identity: bool,
}

static TLS: OnceLock<Tls> = OnceLock::new();

/// Load the files and install the settings for this run (the first call wins).
pub fn install(opts: &TlsOptions) -> Result<()> {
    if TLS.get().is_some() {
        return Ok(());
    }
    let tls = load(opts)?;
    if tls.insecure {
        tracing::warn!(
            "--insecure: the server's certificate is not verified (anyone on the path can read and change the traffic)"
        );
    }
    let _ = TLS.set(tls);
    Ok(())
}

fn installed() -> Option<&'static Tls> {
    TLS.get()
}

fn read(path: &Path, flag: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .with_context(|| format!("{flag} {}", path.display()))
        .map_err(|e| usage(format!("{e:#}")))
}

fn certs(pem: &[u8], path: &Path, flag: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| usage(format!("{flag} {}: not a PEM file: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(usage(format!(
            "{flag} {}: no certificate in this PEM file",
            path.display()
        )));
    }
    Ok(certs)
}

/// The client identity: `--cert` and `--key` together, the key not readable by others.
fn identity(opts: &TlsOptions) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
    let (cert, key) = match (&opts.cert, &opts.key) {
        (None, None) => return Ok(None),
        (Some(c), Some(k)) => (c, k),
        (Some(_), None) => {
            return Err(usage(
                "--cert needs --key (the client certificate's private key)",
            ))
        }
        (None, Some(_)) => return Err(usage("--key needs --cert (the client certificate)")),
    };
    crate::config::refuse_readable_by_others(key, "--key")?;
    let cert_pem = read(cert, "--cert")?;
    certs(&cert_pem, cert, "--cert")?;
    let key_pem = read(key, "--key")?;
    PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| {
        usage(format!(
            "--key {}: no private key in this PEM file",
            key.display()
        ))
    })?;
    Ok(Some((cert_pem, key_pem)))
}

/// The platform's roots (SSL_CERT_FILE / SSL_CERT_DIR honoured) and `--cacert`.
fn roots(opts: &TlsOptions) -> Result<Vec<CertificateDer<'static>>> {
    let native = rustls_native_certs::load_native_certs();
    for e in &native.errors {
        debug!(error = %e, "system trust store");
    }
    let mut all = native.certs;
    if let Some(path) = &opts.cacert {
        let pem = read(path, "--cacert")?;
        all.extend(certs(&pem, path, "--cacert")?);
    }
    Ok(all)
}

fn load(opts: &TlsOptions) -> Result<Tls> {
    let roots = roots(opts)?;
    let identity = identity(opts)?;
    let root_pem = (!roots.is_empty()).then(|| pem_certs(&roots));
    let certificates = redis::TlsCertificates {
        client_tls: identity.clone().map(|(c, k)| redis::ClientTlsConfig {
            client_cert: c,
            client_key: k,
        }),
        root_cert: root_pem,
    };
    // redis-rs parses them into its connection parameters; any URL does for that
    let params = redis::Client::build_with_tls("rediss://127.0.0.1/", certificates)
        .map_err(|e| usage(format!("TLS files: {e}")))?;
    let template = params.get_connection_info().addr().clone();
    let config = client_config(&roots, identity, opts.insecure)?;
    if let Some(sni) = &opts.sni {
        ServerName::try_from(sni.as_str())
            .map_err(|_| usage(format!("--sni {sni}: not a host name")))?;
    }
    Ok(Tls {
        template,
        config: Arc::new(config),
        sni: opts.sni.clone(),
        insecure: opts.insecure,
        identity: opts.cert.is_some(),
    })
}

fn client_config(
    roots: &[CertificateDer<'static>],
    identity: Option<(Vec<u8>, Vec<u8>)>,
    insecure: bool,
) -> Result<rustls::ClientConfig> {
    let mut store = rustls::RootCertStore::empty();
    if roots.is_empty() {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    store.add_parsable_certificates(roots.iter().cloned());
    let builder = rustls::ClientConfig::builder().with_root_certificates(store);
    let mut config = match identity {
        Some((c, k)) => {
            let chain = CertificateDer::pem_slice_iter(&c).collect::<Result<Vec<_>, _>>()?;
            let key = PrivateKeyDer::from_pem_slice(&k)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| usage(format!("--cert/--key: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    if insecure {
        let provider = config.crypto_provider().clone();
        config
            .dangerous()
            .set_certificate_verifier(Arc::new(NoVerify(provider)));
    }
    Ok(config)
}

/// PEM text of DER certificates (what redis-rs takes as its trust store).
fn pem_certs(certs: &[CertificateDer<'_>]) -> Vec<u8> {
    let mut out = String::new();
    for c in certs {
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let b64 = STANDARD.encode(c.as_ref());
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out.into_bytes()
}

/// The TLS settings of this run on a `rediss://` address (`#insecure` in the URL still works).
pub fn apply(info: ConnectionInfo) -> ConnectionInfo {
    let Some(tls) = installed() else {
        return info;
    };
    let (
        ConnectionAddr::TcpTls {
            host,
            port,
            insecure,
            ..
        },
        ConnectionAddr::TcpTls { tls_params, .. },
    ) = (info.addr(), &tls.template)
    else {
        return info;
    };
    let addr = ConnectionAddr::TcpTls {
        host: host.clone(),
        port: *port,
        insecure: *insecure || tls.insecure,
        tls_params: tls_params.clone(),
    };
    info.set_addr(addr)
}

/// `--sni HOST`: the address connects to the server's host but verifies HOST; redis-rs
/// verifies the host it connects to, so the address names HOST and a resolver maps HOST back
/// to the real host. None without `--sni` or for a non-TLS address.
pub fn sni_route(info: &ConnectionInfo) -> Option<(ConnectionInfo, SniResolver)> {
    let sni = installed()?.sni.clone()?;
    let ConnectionAddr::TcpTls {
        host,
        port,
        insecure,
        tls_params,
    } = info.addr()
    else {
        return None;
    };
    let resolver = SniResolver {
        sni: sni.clone(),
        host: host.clone(),
    };
    let addr = ConnectionAddr::TcpTls {
        host: sni,
        port: *port,
        insecure: *insecure,
        tls_params: tls_params.clone(),
    };
    Some((info.clone().set_addr(addr), resolver))
}

/// Resolves the `--sni` name to the real host (any other name as usual).
pub struct SniResolver {
    sni: String,
    host: String,
}

impl redis::io::AsyncDNSResolver for SniResolver {
    fn resolve<'a, 'b: 'a>(
        &'a self,
        host: &'b str,
        port: u16,
    ) -> redis::RedisFuture<'a, Box<dyn Iterator<Item = SocketAddr> + Send + 'a>> {
        let target = if host == self.sni {
            self.host.clone()
        } else {
            host.to_string()
        };
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((target.as_str(), port))
                .await?
                .collect();
            Ok(Box::new(addrs.into_iter()) as Box<dyn Iterator<Item = SocketAddr> + Send>)
        })
    }
}

/// A blocking TLS stream for `--rdb-sync` (the same trust store, identity and `--sni`).
pub type SyncStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

pub fn connect_blocking(
    host: &str,
    port: u16,
    insecure: bool,
    timeout: std::time::Duration,
) -> Result<SyncStream> {
    let fallback;
    let (config, sni) = match installed() {
        Some(t) if insecure && !t.insecure => (insecure_config(&t.config)?, t.sni.clone()),
        Some(t) => (t.config.clone(), t.sni.clone()),
        None => {
            fallback = client_config(&roots(&TlsOptions::default())?, None, insecure)?;
            (Arc::new(fallback), None)
        }
    };
    let name = sni.unwrap_or_else(|| host.to_string());
    let server_name = ServerName::try_from(name.clone())
        .map_err(|_| anyhow::anyhow!("{name}: not a valid TLS server name"))?;
    let addr = (host, port)
        .to_socket_addrs()?
        .next()
        .with_context(|| format!("resolving {host}"))?;
    let sock = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("connecting to {host}:{port}"))?;
    let mut conn = rustls::ClientConnection::new(config, server_name)?;
    let mut sock = sock;
    sock.set_read_timeout(Some(timeout))?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut sock) {
            let why = explain(&e).unwrap_or_else(|| e.to_string());
            anyhow::bail!("TLS handshake with {host}:{port}: {why}");
        }
    }
    Ok(rustls::StreamOwned::new(conn, sock))
}

fn insecure_config(base: &rustls::ClientConfig) -> Result<Arc<rustls::ClientConfig>> {
    let mut c = base.clone();
    let provider = c.crypto_provider().clone();
    c.dangerous()
        .set_certificate_verifier(Arc::new(NoVerify(provider)));
    Ok(Arc::new(c))
}

/// `--insecure` for the `--rdb-sync` socket: every certificate accepted (signatures checked).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The rustls error somewhere in an error's chain (redis-rs wraps it in an io::Error).
fn find_rustls<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        // redis-rs keeps the io::Error in an Arc, and io::Error's `source` skips its payload
        let inner: &(dyn std::error::Error + 'static) =
            match e.downcast_ref::<Arc<dyn std::error::Error + Send + Sync>>() {
                Some(arc) => arc.as_ref(),
                None => e,
            };
        if let Some(r) = inner.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            if let Some(r) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Some(r);
            }
        }
        cur = e.source();
    }
    None
}

/// One line for a TLS failure: what is wrong with the certificate and the flag that fixes it.
pub fn explain(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    use rustls::{AlertDescription as A, CertificateError as C};
    let line = match find_rustls(err)? {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => "TLS: the server's certificate is signed by an unknown issuer (a CA in neither the system trust store nor --cacert): trust its CA with --cacert FILE".to_string(),
            C::NotValidForName | C::NotValidForNameContext { .. } => "TLS: the server's certificate does not match the host name: connect by a name it lists, or give that name with --sni HOST".to_string(),
            C::Expired | C::ExpiredContext { .. } => "TLS: the server's certificate has expired: renew it on the server (or check this machine's clock)".to_string(),
            C::NotValidYet | C::NotValidYetContext { .. } => "TLS: the server's certificate is not valid yet: check this machine's clock".to_string(),
            C::BadSignature | C::BadEncoding => "TLS: the server's certificate is malformed or badly signed".to_string(),
            other => format!("TLS: the server's certificate was refused ({other:?}): check --cacert and --sni"),
        },
        rustls::Error::AlertReceived(A::CertificateRequired | A::HandshakeFailure)
            if !installed().is_some_and(|t| t.identity) =>
        {
            "TLS: the server requires a client certificate (mutual TLS): give --cert FILE --key FILE".to_string()
        }
        rustls::Error::AlertReceived(A::UnknownCA | A::BadCertificate | A::CertificateUnknown) => {
            "TLS: the server refused our client certificate (--cert): it is not signed by a CA the server trusts".to_string()
        }
        rustls::Error::AlertReceived(a) => format!("TLS: the server ended the handshake ({a:?})"),
        rustls::Error::InvalidMessage(_) => {
            "TLS: the server does not speak TLS on this port (use redis:// for a plain port)".to_string()
        }
        other => format!("TLS: {other}"),
    };
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_of_der_certificates_reads_back() {
        let ders: Vec<CertificateDer<'static>> = [vec![0u8; 1], (0..=255).collect(), vec![7; 200]]
            .into_iter()
            .map(CertificateDer::from)
            .collect();
        let pem = pem_certs(&ders);
        assert!(std::str::from_utf8(&pem)
            .unwrap()
            .lines()
            .all(|l| l.len() <= 64));
        let back: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, ders);
    }

    #[test]
    fn certificate_errors_are_one_line_with_the_fix() {
        let io = |c| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(c),
            )
        };
        let e = redis::RedisError::from(io(rustls::CertificateError::UnknownIssuer));
        assert!(explain(&e).unwrap().contains("--cacert"));
        let e = redis::RedisError::from(io(rustls::CertificateError::NotValidForName));
        assert!(explain(&e).unwrap().contains("--sni"));
        let e = redis::RedisError::from(io(rustls::CertificateError::Expired));
        assert!(explain(&e).unwrap().contains("expired"));
        let e = redis::RedisError::from(std::io::Error::other("plain"));
        assert_eq!(explain(&e), None);
    }
}
