//! Checks of one `#[mcp_resource]`: the shared signature, type, title, description, scope and
//! gateway checks, plus the address rules (one of `uri`/`template`, a valid template whose
//! variables are exactly the plain parameters) and completers naming template variables.

use std::collections::HashSet;

use super::ast::{Address, Resource, template_variables};
use crate::{
    ast::ParamKind,
    check::{
        Macro, check_access, check_completer_names, check_labels, check_output, check_signature,
        check_simple_param, check_unique_names,
    },
    ctxt::Ctxt,
};

const RESOURCE: Macro = Macro {
    attr: "mcp_resource",
    noun: "resource",
};

pub(crate) fn check(cx: &Ctxt, r: &Resource<'_>) {
    check_signature(cx, &r.item.sig, RESOURCE);
    check_address(cx, r);
    check_params(cx, r);
    check_unique_names(cx, &r.params);
    check_output(cx, r.output, RESOURCE);
    check_name(cx, r);
    check_labels(
        cx,
        r.title.as_ref(),
        r.description.is_some(),
        r.description_override.as_ref(),
        r.ident,
        RESOURCE,
    );
    check_mime_type(cx, r);
    check_access(cx, r.scopes.as_ref(), r.gateways.as_ref(), RESOURCE);
    check_completers(cx, r);
}

fn check_address(cx: &Ctxt, r: &Resource<'_>) {
    match &r.address {
        Address::Missing => cx.error_spanned_by(
            r.ident,
            "`#[mcp_resource]` needs an address: `uri = \"scheme://...\"` for one resource, or `template = \"scheme://{var}/...\"` for a family of them",
        ),
        Address::Uri(uri) => {
            let value = uri.value();
            if !value.contains(':') || value.contains(char::is_whitespace) {
                cx.error_spanned_by(uri, format!("invalid resource URI {value:?}: it needs a scheme (`scheme:...`) and no whitespace"));
            }
            if value.contains('{') {
                cx.error_spanned_by(uri, "this URI contains `{`: write `template = \"...\"` for a URI template");
            }
        }
        Address::Template(template) => {
            if template_variables(&template.value()).is_none() {
                cx.error_spanned_by(template, "invalid URI template: variables are `{name}` or `{+name}` with names of `A-Z a-z 0-9 _`");
            } else if r.variables().is_empty() {
                cx.error_spanned_by(template, "this template has no `{variable}`: write `uri = \"...\"` for a single resource");
            }
        }
    }
    if let Some(uri) = &r.extra_uri {
        cx.error_spanned_by(
            uri,
            "`uri` and `template` exclude each other: a resource has one address",
        );
    }
}

/// Plain parameters are template variables; `#[args]`, field attributes and `cfg` do not apply.
fn check_params(cx: &Ctxt, r: &Resource<'_>) {
    let vars = r.variables();
    let is_template = matches!(r.address, Address::Template(..));
    let mut bound = HashSet::new();
    for param in &r.params {
        check_simple_param(
            cx,
            param,
            RESOURCE,
            "plain parameters are the template's variables",
        );
        if param.kind != ParamKind::Plain {
            continue;
        }
        let Some(ident) = param.ident() else {
            cx.error_spanned_by(
                param.pat,
                "a resource parameter must be a plain name: it names a template variable",
            );
            continue;
        };
        let name = syn::ext::IdentExt::unraw(ident).to_string();
        if !is_template {
            cx.error_spanned_by(ident, format!("a resource at a fixed URI takes no arguments: use `template = \"...{{{name}}}...\"`, or mark `{name}` #[ctx] if the runtime supplies it"));
        } else if vars.contains(&name) {
            bound.insert(name);
        } else {
            cx.error_spanned_by(
                ident,
                format!(
                    "`{name}` is not a variable of the template (variables: {})",
                    vars.join(", ")
                ),
            );
        }
    }
    if let Address::Template(template) = &r.address {
        for var in vars.iter().filter(|v| !bound.contains(*v)) {
            cx.error_spanned_by(template, format!("template variable `{var}` has no parameter: add `{var}: String` (or any FromStr type) to the function"));
        }
    }
}

fn check_name(cx: &Ctxt, r: &Resource<'_>) {
    if let Some(lit) = &r.name_lit
        && lit.value().trim().is_empty()
    {
        cx.error_spanned_by(lit, "`name` must not be empty");
    }
}

fn check_mime_type(cx: &Ctxt, r: &Resource<'_>) {
    if let Some(mime) = &r.mime_type {
        let value = mime.value();
        let valid = value.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && !value.contains(char::is_whitespace)
        });
        if !valid {
            cx.error_spanned_by(
                mime,
                format!("invalid MIME type {value:?}: write `type/subtype`, e.g. \"text/plain\""),
            );
        }
    }
}

fn check_completers(cx: &Ctxt, r: &Resource<'_>) {
    let Some((span, completers)) = &r.complete else {
        return;
    };
    if !matches!(r.address, Address::Template(..)) {
        cx.syn_error(syn::Error::new(
            *span,
            "`complete(...)` applies to template variables; this resource has a fixed URI",
        ));
        return;
    }
    let vars = r.variables();
    check_completer_names(cx, completers, &vars, |name| {
        format!(
            "`{name}` is not a variable of the template (variables: {})",
            vars.join(", ")
        )
    });
}
