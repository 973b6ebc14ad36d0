//! Exports that exist only for the library's own tests (cargo feature `ffi-test-hooks`,
//! which the crate's dev-dependency on itself turns on for `cargo test`). They are left
//! out of the header (cbindgen.toml `[export] exclude`) and out of release builds.

use libc::c_char;

use super::args;
use super::panic::boundary;

/// Panics inside the boundary with `message` (NULL = a fixed message), to prove that a
/// panic comes back as `MMS_STATUS_PANIC` with its message in the error JSON.
#[no_mangle]
pub unsafe extern "C" fn mms_test_panic(
    message: *const c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_test_panic", out_error, || {
        let message = args::optional_string(message, "message")?.unwrap_or("test panic");
        panic!("{}", message)
    })
}
