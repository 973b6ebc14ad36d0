//! The one set of argument checks of the C ABI: pointers, C strings, JSON in and out.
//!
//! Each check names the argument in its error (`message` and `target`), so a caller sees
//! which argument was wrong. Output pointers are checked before any work is done and
//! written through [`Out`] only at the very end of a successful call.
//!
//! The bottom of `ffi`: it imports nothing else from `ffi`.

use libc::c_char;
use std::cell::RefCell;
use std::ffi::{CStr, CString};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{shorten_to, Error, ErrorCode, Result, SHOWN_CHARS};

/// The error of a required pointer argument that is NULL.
pub fn null(name: &str) -> Error {
    Error::new(
        ErrorCode::NullArgument,
        format!("The argument {name} is NULL; it is required."),
    )
    .with_target(name)
}

/// A required UTF-8 string argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives `'a`.
pub unsafe fn string<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null(name));
    }
    CStr::from_ptr(p).to_str().map_err(|e| {
        Error::new(
            ErrorCode::InvalidUtf8,
            format!(
                "The argument {name} is not valid UTF-8 (invalid byte at offset {}).",
                e.valid_up_to()
            ),
        )
        .with_target(name)
    })
}

/// An optional UTF-8 string argument: NULL is `None`.
///
/// # Safety
/// As [`string`].
pub unsafe fn optional_string<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        string(p, name).map(Some)
    }
}

/// Objects only where a struct is expected (see [`crate::json`]); unknown fields are
/// refused by the types themselves (`deny_unknown_fields`).
fn parse_json<T: DeserializeOwned>(text: &str, name: &str) -> Result<T> {
    crate::json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "The argument {name} is not valid JSON for this call: {}.",
                shorten_to(&e.to_string(), 4 * SHOWN_CHARS)
            ),
        )
        .with_target(name)
    })
}

/// A required JSON argument parsed into `T`.
///
/// # Safety
/// As [`string`].
pub unsafe fn json<T: DeserializeOwned>(p: *const c_char, name: &str) -> Result<T> {
    parse_json(string(p, name)?, name)
}

/// An optional JSON argument: NULL is `T::default()`.
///
/// # Safety
/// As [`string`].
pub unsafe fn optional_json<T: DeserializeOwned + Default>(
    p: *const c_char,
    name: &str,
) -> Result<T> {
    match optional_string(p, name)? {
        None => Ok(T::default()),
        Some(text) => parse_json(text, name),
    }
}

/// A checked, not yet written output pointer.
pub struct Out<T> {
    slot: *mut *mut T,
}

/// Checks an output pointer before any work is done.
///
/// # Safety
/// `p` is NULL or valid for writing one pointer until the output is written.
pub unsafe fn out<T>(p: *mut *mut T, name: &str) -> Result<Out<T>> {
    if p.is_null() {
        Err(null(name))
    } else {
        Ok(Out { slot: p })
    }
}

impl<T> Out<T> {
    /// Writes the output: the last step of a successful call.
    pub fn write(self, value: *mut T) {
        // SAFETY: checked non-NULL by `out`, valid for writing by its contract.
        unsafe { *self.slot = value }
    }
}

impl Out<c_char> {
    /// Serializes `value` and writes it as a string the caller frees with
    /// `mms_string_free`. Nothing is written when serialization fails.
    pub fn json(self, value: &impl Serialize) -> Result<()> {
        let text = serialized(value)
            .map_err(|e| Error::internal(format!("cannot serialize the result: {e}")))?;
        let text =
            CString::new(text).map_err(|_| Error::internal("a result contains a NUL character"))?;
        self.write(text.into_raw());
        Ok(())
    }
}

thread_local! {
    /// The buffer results are serialized into, kept per thread so that a result costs one
    /// allocation of its exact size instead of a string grown step by step.
    static JSON_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A buffer larger than this (a long listing) is not kept after its result.
const KEPT_BUFFER_BYTES: usize = 64 << 10;

/// `value` as JSON in a vector with room for the C string's NUL and no more.
fn serialized(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    JSON_BUFFER.with(|buffer| {
        let Ok(mut buffer) = buffer.try_borrow_mut() else {
            return serde_json::to_vec(value); // a serialization inside one: its own buffer
        };
        buffer.clear();
        let written = serde_json::to_writer(&mut *buffer, value);
        let mut exact = Vec::with_capacity(buffer.len() + 1);
        exact.extend_from_slice(&buffer);
        if buffer.capacity() > KEPT_BUFFER_BYTES {
            *buffer = Vec::new();
        }
        written.map(|()| exact)
    })
}

/// A Rust string as a C string owned by the caller (freed with `mms_string_free`).
pub fn into_c_string(text: String) -> Result<*mut c_char> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Error::internal("a result contains a NUL character"))
}
