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
/// the runtime. The handlers are registered before this returns (a signal that arrives while
/// the command starts is a stop, not the default action's death); the task that turns them
/// into the token lives as long as the runtime.
pub fn install() -> Stop {
    let stop = Stop::default();
    let token = stop.clone();
    let mut signals = Listeners::register();
    tokio::spawn(async move {
        loop {
            let sig = signals.next().await;
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

/// SIGINT and SIGTERM, registered with the runtime at once.
#[cfg(unix)]
struct Listeners {
    int: Option<tokio::signal::unix::Signal>,
    term: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
impl Listeners {
    fn register() -> Self {
        use tokio::signal::unix::{signal, SignalKind};
        Listeners {
            int: signal(SignalKind::interrupt()).ok(),
            term: signal(SignalKind::terminate()).ok(),
        }
    }

    async fn next(&mut self) -> Signal {
        async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
            match s.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            _ = recv(&mut self.int) => Signal::Interrupt,
            _ = recv(&mut self.term) => Signal::Terminate,
        }
    }
}

#[cfg(not(unix))]
struct Listeners;

#[cfg(not(unix))]
impl Listeners {
    fn register() -> Self {
        Listeners
    }

    async fn next(&mut self) -> Signal {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        Signal::Interrupt
    }
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
