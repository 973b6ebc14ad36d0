//! [`CancelToken`]: how another thread asks a long call (a wait, an import) to stop early.

use std::sync::atomic::{AtomicBool, Ordering};

/// A flag another thread sets to end a long call early; the call checks it between steps.
#[derive(Debug, Default)]
pub struct CancelToken(AtomicBool);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
