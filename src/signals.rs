//! One stop signal for the whole process.
//!
//! SIGINT and SIGTERM are installed once ([`install`]); every long-running command gets a
//! [`Stop`] token and checks it between batches (or awaits [`Stop::wait`] in a `select!`).
//! A command that stops this way still reports what it did (SPEC §1, exit 130; `warm`
//! treats SIGTERM as a clean stop). After SIGINT the process then ends by the same signal,
//! re-raised with the default handler ([`die_by_sigint`], as fd does), so a calling shell or
//! loop sees "killed by SIGINT" (a shell's `$?` is still 130) and stops too. A second signal
//! while the first is being handled ends the process at once: the operator insisted.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Which signal asked us to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C
    Interrupt,
    /// `kill`, `systemctl stop`, a container runtime
    Terminate,
}

#[derive(Debug, Default)]
struct Inner {
    /// 0 = running, 1 = SIGINT, 2 = SIGTERM
    state: AtomicU8,
    notify: Notify,
}

/// The first signal this process received (0: none, 1: SIGINT, 2: SIGTERM).
static RECEIVED: AtomicU8 = AtomicU8::new(0);

/// The first stop signal the process received, if any.
pub fn received() -> Option<Signal> {
    match RECEIVED.load(Ordering::SeqCst) {
        1 => Some(Signal::Interrupt),
        2 => Some(Signal::Terminate),
        _ => None,
    }
}

/// End the process by SIGINT: the default handler back in place, the signal raised again.
/// Standard output is flushed first (what was reported stays reported).
pub fn die_by_sigint() -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    #[cfg(unix)]
    // SAFETY: restoring the default disposition and raising a signal in our own process.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::raise(libc::SIGINT);
    }
    // not reached on unix; elsewhere, the shell's code for it
    std::process::exit(130)
}

/// A cheap, clonable stop token.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<Inner>);

impl Stop {
    /// A token no signal will ever set (tests, one-shot helpers).
    pub fn never() -> Stop {
        Stop::default()
    }

    /// Ask everything holding this token to stop (also what a signal does).
    pub fn trigger(&self, sig: Signal) {
        let v = match sig {
            Signal::Interrupt => 1,
            Signal::Terminate => 2,
        };
        if self
            .0
            .state
            .compare_exchange(0, v, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.0.notify.notify_waiters();
        }
    }

    pub fn is_set(&self) -> bool {
        self.0.state.load(Ordering::SeqCst) != 0
    }

    pub fn signal(&self) -> Option<Signal> {
        match self.0.state.load(Ordering::SeqCst) {
            1 => Some(Signal::Interrupt),
            2 => Some(Signal::Terminate),
            _ => None,
        }
    }

    /// Resolves once a stop was asked for (at once if it already was).
    pub async fn wait(&self) {
        loop {
            let notified = self.0.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_set() {
                return;
            }
            notified.await;
        }
    }
}

/// Install the SIGINT/SIGTERM handlers and return the process's token. Call once, inside
/// the runtime. The handler task lives as long as the runtime.
pub fn install() -> Stop {
    let stop = Stop::default();
    let token = stop.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        loop {
            #[cfg(unix)]
            let term_recv = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            #[cfg(not(unix))]
            let term_recv = std::future::pending::<()>();
            let sig = tokio::select! {
                r = tokio::signal::ctrl_c() => {
                    if r.is_err() {
                        std::future::pending::<()>().await;
                    }
                    Signal::Interrupt
                }
                _ = term_recv => Signal::Terminate,
            };
            let _ = RECEIVED.compare_exchange(
                0,
                match sig {
                    Signal::Interrupt => 1,
                    Signal::Terminate => 2,
                },
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
            if token.is_set() {
                eprintln!("cachectl: interrupted again: exiting now");
                if sig == Signal::Interrupt {
                    die_by_sigint();
                }
                std::process::exit(130);
            }
            tracing::warn!(
                "{}: stopping after the work in flight (send it again to exit at once)",
                match sig {
                    Signal::Interrupt => "SIGINT",
                    Signal::Terminate => "SIGTERM",
                }
            );
            token.trigger(sig);
        }
    });
    stop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wait_returns_once_triggered() {
        let s = Stop::never();
        assert!(!s.is_set());
        let s2 = s.clone();
        let h = tokio::spawn(async move { s2.wait().await });
        tokio::task::yield_now().await;
        s.trigger(Signal::Terminate);
        h.await.unwrap();
        assert_eq!(s.signal(), Some(Signal::Terminate));
        // the first signal wins
        s.trigger(Signal::Interrupt);
        assert_eq!(s.signal(), Some(Signal::Terminate));
        s.wait().await; // already set: returns at once
    }
}
