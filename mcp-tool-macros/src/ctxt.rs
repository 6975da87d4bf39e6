//! Error collection: every check reports into one [`Ctxt`], so a single invocation shows all
//! of its mistakes at once (the `serde_derive` pattern).

use std::{cell::RefCell, fmt::Display, thread};

use quote::ToTokens;

/// Collects errors while the macro input is parsed and checked.
///
/// Call [`Ctxt::check`] exactly once when done; dropping an unchecked `Ctxt` is a bug in the
/// macro and panics (outside of an unwinding panic).
#[derive(Debug)]
pub(crate) struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Report `msg` spanned on the tokens of `obj` (first to last token).
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&self, obj: T, msg: M) {
        self.syn_error(syn::Error::new_spanned(obj.into_token_stream(), msg));
    }

    /// Report an error from `syn`.
    pub(crate) fn syn_error(&self, err: syn::Error) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(err);
        }
    }

    /// Consume the collected errors: `Err` with all of them combined, if there were any.
    pub(crate) fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for rest in errors {
            combined.combine(rest);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    #[allow(
        clippy::panic,
        reason = "an unchecked Ctxt is a bug in this macro, not in user input"
    )]
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("mcp_tool: forgot to check for errors");
        }
    }
}
