//! The one panic boundary of the C ABI.
//!
//! Every export runs its body through [`boundary`] (or [`boundary_infallible`] for the few
//! functions without a status): the body runs inside `catch_unwind`, an `Err` becomes its
//! status code with the error JSON in `*out_error`, and a panic becomes status 1
//! (`MMS_STATUS_PANIC`) with the panic's message and location in the error JSON.
//!
//! # Keeping the host's stderr clean
//!
//! Rust's default panic hook prints `thread '…' panicked at …` to stderr before unwinding
//! starts, which `catch_unwind` cannot prevent. So the first call through the boundary
//! installs, once per process, a hook that is silent **only** for panics raised on a thread
//! that is currently inside an `mms_` call: it records the message and location for the
//! boundary to return. Any other panic (the host's own Rust code, a test harness, a thread
//! the library spawned) goes to the hook that was installed before, unchanged — so the
//! library never hides a panic that would otherwise have been reported.
//!
//! The depth counter is per thread, so a progress callback that calls back into the
//! library nests correctly, and threads never see each other's state.
//!
//! Within `ffi` this module imports only `args`.

use libc::c_char;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::error::{Error, ErrorCode, Result};

use super::args;

thread_local! {
    /// How many `mms_` calls this thread is inside (callbacks can re-enter).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The message and location of the last panic raised inside a call on this thread.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // `try_with`: during thread teardown the thread locals may be gone; then this
            // cannot be a call of ours, so the previous hook reports it.
            let inside = DEPTH.try_with(|d| d.get() > 0).unwrap_or(false);
            if inside {
                let message = payload_message(info.payload());
                let text = match info.location() {
                    Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
                    None => message,
                };
                let _ = LAST_PANIC.try_with(|p| *p.borrow_mut() = Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_string()
    }
}

/// Marks this thread as inside an `mms_` call for the guard's lifetime.
struct Depth;

impl Depth {
    fn enter() -> Depth {
        DEPTH.with(|d| d.set(d.get() + 1));
        Depth
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Runs `body` and catches a panic; `Err` carries the panic's description.
fn catch<T>(function: &str, body: impl FnOnce() -> T) -> std::result::Result<T, Error> {
    install_hook();
    let _depth = Depth::enter();
    LAST_PANIC.with(|p| p.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(body)).map_err(|payload| {
        let described = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| payload_message(&*payload));
        // Dropping the payload could itself panic (a payload with a panicking Drop): that
        // second panic is caught too, so nothing unwinds out of an `extern "C"` function.
        let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
        Error::new(
            ErrorCode::Panic,
            format!("Internal error in MeetingMigration ({function} panicked): {described}. This is a bug; please report it."),
        )
    })
}

/// The boundary of every fallible export: runs `body`, returns `0` on `Ok`, otherwise the
/// error's code, writing the error JSON to `*out_error` when `out_error` is not NULL. A
/// panic in `body` is returned as status 1 (`Panic`). `body` writes its outputs itself, as
/// its last step, so they are written only on success.
///
/// # Safety
/// `out_error` is NULL or valid for writing one pointer.
pub unsafe fn boundary(
    function: &str,
    out_error: *mut *mut c_char,
    body: impl FnOnce() -> Result<()>,
) -> i32 {
    let error = match catch(function, body) {
        Ok(Ok(())) => return ErrorCode::Ok as i32,
        Ok(Err(e)) | Err(e) => e,
    };
    // Writing the error JSON allocates; keep even that inside a catch so nothing unwinds
    // into C.
    let code = error.code as i32;
    let _ = catch(function, || write_error(out_error, &error));
    code
}

/// Writes the error JSON to `*out_error` when `out_error` is not NULL.
///
/// # Safety
/// `out_error` is NULL or valid for writing one pointer.
pub unsafe fn write_error(out_error: *mut *mut c_char, error: &Error) {
    if out_error.is_null() {
        return;
    }
    if let Ok(p) = args::into_c_string(error.to_json().to_string()) {
        *out_error = p;
    }
}

/// The boundary of exports without a status (`void` or a returned value): a panic yields
/// `fallback` and is otherwise swallowed.
pub fn boundary_infallible<T>(function: &str, fallback: T, body: impl FnOnce() -> T) -> T {
    catch(function, body).unwrap_or(fallback)
}
