//! The cancellation flag (`mms_cancel`) that `mms_migration_wait` and `mms_data_import`
//! take: new, raise, free.

use crate::cancel::CancelToken;

use super::panic::boundary_infallible;

/// A cancellation flag for `mms_migration_wait` and `mms_data_import` (`mms_cancel` in C). Opaque.
pub struct MmsCancel {
    token: CancelToken,
}

/// A new, not cancelled flag; the caller owns it and releases it with `mms_cancel_free`.
/// Returns NULL only if the allocation panicked. Thread-safe.
#[no_mangle]
pub extern "C" fn mms_cancel_new() -> *mut MmsCancel {
    boundary_infallible("mms_cancel_new", std::ptr::null_mut(), || {
        Box::into_raw(Box::new(MmsCancel {
            token: CancelToken::new(),
        }))
    })
}

/// Raises the flag: every `mms_migration_wait` using it returns `MMS_STATUS_CANCELLED`
/// within a poll interval (about 20 ms). May be called from any thread, any number of
/// times. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn mms_cancel_cancel(cancel: *const MmsCancel) {
    boundary_infallible("mms_cancel_cancel", (), || {
        if let Some(c) = cancel.as_ref() {
            c.token.cancel();
        }
    })
}

/// Releases a flag from `mms_cancel_new`. NULL is a no-op. No wait may still be using it.
#[no_mangle]
pub unsafe extern "C" fn mms_cancel_free(cancel: *mut MmsCancel) {
    boundary_infallible("mms_cancel_free", (), || {
        if !cancel.is_null() {
            drop(Box::from_raw(cancel));
        }
    })
}

impl MmsCancel {
    /// The token behind an optional flag argument (NULL is no flag).
    ///
    /// # Safety
    /// `cancel` is NULL or a live flag from `mms_cancel_new` that outlives `'a`.
    pub(super) unsafe fn token<'a>(cancel: *const MmsCancel) -> Option<&'a CancelToken> {
        cancel.as_ref().map(|c| &c.token)
    }
}
