//! Checks of one `#[mcp_prompt]`: the shared signature, type, title, description, scope and
//! gateway checks, plus the name rule and completers naming arguments.

use super::ast::Prompt;
use crate::{
    ast::ParamKind,
    check::{
        Macro, check_access, check_completer_names, check_labels, check_output, check_signature,
        check_simple_param, check_unique_names, is_valid_tool_name,
    },
    ctxt::Ctxt,
};

const PROMPT: Macro = Macro {
    attr: "mcp_prompt",
    noun: "prompt",
};

pub(crate) fn check(cx: &Ctxt, p: &Prompt<'_>) {
    check_signature(cx, &p.item.sig, PROMPT);
    check_params(cx, p);
    check_unique_names(cx, &p.params);
    check_output(cx, p.output, PROMPT);
    check_name(cx, p);
    check_labels(
        cx,
        p.title.as_ref(),
        p.description.is_some(),
        p.description_override.as_ref(),
        p.ident,
        PROMPT,
    );
    check_access(cx, p.scopes.as_ref(), p.gateways.as_ref(), PROMPT);
    check_completers(cx, p);
}

/// Plain parameters are the prompt's (string) arguments.
fn check_params(cx: &Ctxt, p: &Prompt<'_>) {
    for param in &p.params {
        check_simple_param(
            cx,
            param,
            PROMPT,
            "each plain parameter is one string argument",
        );
        if param.kind == ParamKind::Plain && param.ident().is_none() {
            cx.error_spanned_by(
                param.pat,
                "a prompt parameter must be a plain name: the name is the argument's name",
            );
        }
    }
}

/// Prompt names follow the tool-name rule (1–128 of `A-Za-z0-9_.-`).
fn check_name(cx: &Ctxt, p: &Prompt<'_>) {
    if is_valid_tool_name(&p.name) {
        return;
    }
    let rule = "a prompt name is 1 to 128 characters from `A-Z a-z 0-9 _ - .`";
    let msg = if p.explicit_name {
        format!("invalid prompt name {:?}: {rule}", p.name)
    } else {
        format!(
            "the prompt name defaults to the function's name `{}`, which is not valid ({rule}); set one with `name = \"...\"`",
            p.name
        )
    };
    cx.syn_error(syn::Error::new(p.name_span, msg));
}

fn check_completers(cx: &Ctxt, p: &Prompt<'_>) {
    let Some((_, completers)) = &p.complete else {
        return;
    };
    let names = p.argument_names();
    let known = if names.is_empty() {
        "it has none".to_owned()
    } else {
        names.join(", ")
    };
    check_completer_names(cx, completers, &names, |name| {
        format!("`{name}` is not an argument of this prompt (arguments: {known})")
    });
}
