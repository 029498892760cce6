//! The global options → `config::Globals` (what `config::resolve` starts from).

use super::GlobalOpts;
use crate::config::Globals;

impl From<&GlobalOpts> for Globals {
    fn from(g: &GlobalOpts) -> Self {
        Globals {
            url: g.url.clone(),
            password_file: g.password_file.clone(),
            cluster: g.cluster,
            replicas: g.replicas,
            profile: g.profile.clone(),
            format: g.output,
            color: g.color,
            timeout: g.timeout,
            no_progress: g.no_progress,
            tls: crate::engine::tls::TlsOptions {
                cacert: g.cacert.clone(),
                cert: g.cert.clone(),
                key: g.key.clone(),
                sni: g.sni.clone(),
                insecure: g.insecure,
            },
        }
    }
}
