//! Flags + profile + environment -> one resolved `Settings`, built once per run.

use std::io::IsTerminal;

use std::path::Path;

use anyhow::{Context, Result};

use crate::engine::ConnSettings;
use crate::error::usage;
use crate::profile::{self, Loaded};
use crate::render::{Color, Format, RenderCtx};

pub const DEFAULT_URL: &str = "redis://127.0.0.1:6379";
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The options every command takes, as the command line gave them (`cli::global`); `resolve`
/// adds the environment and the profile. `Default` is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Globals {
    /// `--url`: one URL, or a comma-separated list of cluster seeds
    pub url: Option<String>,
    pub password_file: Option<std::path::PathBuf>,
    /// force Redis Cluster mode
    pub cluster: bool,
    /// read-only work on replicas
    pub replicas: bool,
    /// a profile path or name
    pub profile: Option<String>,
    pub format: Format,
    pub color: Color,
    /// connect and per-command timeout
    pub timeout: std::time::Duration,
    /// `--no-progress`
    pub no_progress: bool,
    /// `--cacert`, `--cert`, `--key`, `--sni`, `--insecure`
    pub tls: crate::engine::tls::TlsOptions,
}

impl Default for Globals {
    fn default() -> Self {
        Globals {
            url: None,
            password_file: None,
            cluster: false,
            replicas: false,
            profile: None,
            format: Format::Table,
            color: Color::Auto,
            timeout: DEFAULT_TIMEOUT,
            no_progress: false,
            tls: Default::default(),
        }
    }
}

pub struct Settings {
    pub conn: ConnSettings,
    pub profile: Option<Loaded>,
    pub render: RenderCtx,
    /// Draw progress bars: stderr is a terminal and --no-progress was not given.
    pub progress: bool,
}

/// URL precedence: `--url`, `$CACHECTL_URL`, the profile's `redis.url`, `$REDIS_URL`, default.
pub fn resolve_url(flag: Option<&str>, profile: Option<&Loaded>) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    flag.map(str::to_string)
        .or_else(|| env("CACHECTL_URL"))
        .or_else(|| {
            profile
                .and_then(|p| p.profile.redis.as_ref())
                .and_then(|r| r.url.clone())
        })
        .or_else(|| env("REDIS_URL"))
        .unwrap_or_else(|| DEFAULT_URL.to_string())
}

/// The password for URLs that carry none: `--password-file FILE`, then `$REDISCLI_AUTH`
/// (redis-cli's convention). A URL's own password wins over both (see `engine::with_password`).
pub fn resolve_password(file: Option<&Path>) -> Result<Option<String>> {
    if let Some(path) = file {
        let pw = read_password_file(path)?;
        crate::redact::register(&pw);
        return Ok(Some(pw));
    }
    Ok(std::env::var("REDISCLI_AUTH")
        .ok()
        .filter(|v| !v.is_empty())
        .inspect(|v| crate::redact::register(v)))
}

/// A secret file (`--password-file`, `--key`) is refused, as ssh does for keys, when others
/// may read it.
pub fn refuse_readable_by_others(path: &Path, flag: &str) -> Result<std::fs::Metadata> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .with_context(|| format!("{flag} {shown}"))
        .map_err(|e| usage(format!("{e:#}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o004 != 0 {
            return Err(usage(format!(
                "{flag} {shown}: permissions {mode:04o} are too open: it must not be readable by others (chmod 600 {shown})"
            )));
        }
    }
    Ok(meta)
}

/// The first line of FILE; refused (like ssh does for keys) when others may read it.
fn read_password_file(path: &Path) -> Result<String> {
    let shown = path.display();
    let meta = refuse_readable_by_others(path, "--password-file")?;
    if !meta.is_file() {
        return Err(usage(format!(
            "--password-file {shown}: not a regular file"
        )));
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading --password-file {shown}"))?;
    let pw = text.lines().next().unwrap_or("").to_string();
    if pw.is_empty() {
        return Err(usage(format!(
            "--password-file {shown}: the first line is empty"
        )));
    }
    Ok(pw)
}

pub fn resolve(g: &Globals) -> Result<Settings> {
    let profile = match &g.profile {
        Some(p) => Some(profile::load(p)?),
        None => None,
    };
    let url = resolve_url(g.url.as_deref(), profile.as_ref());
    crate::redact::register_url(&url);
    let urls: Vec<String> = crate::redact::split_list(&url)
        .into_iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return Err(crate::error::usage("empty --url"));
    }
    for u in &urls {
        crate::engine::parse_url(u)?;
    }
    let password = resolve_password(g.password_file.as_deref())?;
    resolve_tls(&g.tls, profile.as_ref(), &urls)?;
    if g.timeout.is_zero() {
        return Err(crate::error::usage("--timeout must be greater than 0"));
    }
    Ok(Settings {
        conn: ConnSettings {
            urls,
            password,
            force_cluster: g.cluster,
            replicas: g.replicas,
            timeout: g.timeout,
            all_nodes: false,
        },
        profile,
        render: RenderCtx::new(g.format, g.color),
        progress: !g.no_progress && std::io::stderr().is_terminal(),
    })
}

/// TLS options: each flag, then `$CACHECTL_CACERT`/`_CERT`/`_KEY`, then the profile's `redis:`
/// keys (relative paths from the profile's directory). Installed for every `rediss://`
/// connection of this run; TLS flags with no `rediss://` URL are a usage error.
fn resolve_tls(
    flags: &crate::engine::tls::TlsOptions,
    profile: Option<&Loaded>,
    urls: &[String],
) -> Result<()> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    let section = profile.and_then(|p| p.profile.redis.as_ref());
    let base = match profile.map(|p| &p.origin) {
        Some(profile::Origin::File(f)) => f.parent().map(Path::to_path_buf),
        _ => None,
    };
    let from_profile = |f: fn(&profile::RedisSection) -> Option<&std::path::PathBuf>| {
        section.and_then(f).map(|p| match &base {
            Some(b) if p.is_relative() => b.join(p),
            _ => p.clone(),
        })
    };
    let opts = crate::engine::tls::TlsOptions {
        cacert: flags
            .cacert
            .clone()
            .or_else(|| env("CACHECTL_CACERT"))
            .or_else(|| from_profile(|r| r.cacert.as_ref())),
        cert: flags
            .cert
            .clone()
            .or_else(|| env("CACHECTL_CERT"))
            .or_else(|| from_profile(|r| r.cert.as_ref())),
        key: flags
            .key
            .clone()
            .or_else(|| env("CACHECTL_KEY"))
            .or_else(|| from_profile(|r| r.key.as_ref())),
        sni: flags
            .sni
            .clone()
            .or_else(|| section.and_then(|r| r.sni.clone())),
        insecure: flags.insecure || section.and_then(|r| r.insecure).unwrap_or(false),
    };
    let tls_url = urls.iter().any(|u| {
        matches!(
            crate::engine::parse_url(u).map(|i| i.addr().clone()),
            Ok(redis::ConnectionAddr::TcpTls { .. })
        )
    });
    if !tls_url {
        if !flags.is_empty() {
            return Err(usage(
                "--cacert, --cert, --key, --sni and --insecure need a TLS URL: rediss://host:port",
            ));
        }
        return Ok(());
    }
    crate::engine::tls::install(&opts)
}

/// Connection settings that are never used (commands that do not connect).
pub fn offline_conn(g: &Globals) -> ConnSettings {
    ConnSettings {
        urls: vec![DEFAULT_URL.to_string()],
        password: None,
        force_cluster: false,
        replicas: false,
        timeout: g.timeout,
        all_nodes: false,
    }
}
