//! Expansion snapshots: the generated code for a small and a full tool, pretty-printed.
//! Behaviour is tested by running the code (`tests/behaviour.rs`); these only make changes
//! to the shape of the expansion visible in review. Update with `MCP_TOOL_SNAPSHOTS=overwrite`.

use std::{fs, path::PathBuf};

use quote::quote;

fn expand(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> String {
    let tokens = crate::run(args, item);
    let file: syn::File = syn::parse2(tokens).expect("the expansion is a valid file");
    prettyplease::unparse(&file)
}

fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/snapshots")
        .join(name);
    if std::env::var_os("MCP_TOOL_SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "expansion of {name} changed; review and rerun with MCP_TOOL_SNAPSHOTS=overwrite\n--- actual ---\n{actual}"
    );
}

#[test]
fn small_sync_tool() {
    let actual = expand(
        quote!(),
        quote! {
            /// Adds two integers.
            fn add(
                /// The first addend.
                a: i64,
                b: i64,
            ) -> i64 {
                a + b
            }
        },
    );
    assert_snapshot("small_sync_tool.rs", &actual);
}

#[test]
fn full_async_tool() {
    let actual = expand(
        quote!(
            name = "math.add",
            title = "Add",
            read_only,
            open_world = false,
            scopes = ["math"],
            gateways = ["default", "public"],
            client_capabilities = ["sampling"]
        ),
        quote! {
            /// Adds two integers.
            ///
            /// Longer text.
            pub async fn add(
                /// The first addend.
                a: i64,
                #[serde(default)]
                b: i64,
                #[ctx] meta: RequestMeta,
            ) -> Result<Sum, AddError> {
                todo!()
            }
        },
    );
    assert_snapshot("full_async_tool.rs", &actual);
}

#[test]
fn args_tool() {
    let actual = expand(
        quote!(),
        quote! {
            /// Searches.
            fn search(#[args] query: Query, #[ctx] db: State<Db>) -> Vec<Content> {
                todo!()
            }
        },
    );
    assert_snapshot("args_tool.rs", &actual);
}

fn expand_with(
    run: fn(proc_macro2::TokenStream, proc_macro2::TokenStream) -> proc_macro2::TokenStream,
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> String {
    let file: syn::File = syn::parse2(run(args, item)).expect("the expansion is a valid file");
    prettyplease::unparse(&file)
}

#[test]
fn template_resource() {
    let actual = expand_with(
        crate::resource::run,
        quote!(
            template = "notes://{folder}/{id}",
            mime_type = "text/markdown",
            scopes = ["notes"],
            complete(folder = folders)
        ),
        quote! {
            /// One note.
            async fn note(folder: String, id: u64, #[ctx] db: State<Db>) -> Result<String, ResourceError> {
                todo!()
            }
        },
    );
    assert_snapshot("template_resource.rs", &actual);
}

#[test]
fn prompt_with_arguments() {
    let actual = expand_with(
        crate::prompt::run,
        quote!(title = "Review", complete(audience = audiences)),
        quote! {
            /// Reviews a diff.
            fn review(
                /// The diff.
                diff: String,
                /// Who reads it.
                audience: Option<String>,
            ) -> Vec<PromptMessage> {
                todo!()
            }
        },
    );
    assert_snapshot("prompt_with_arguments.rs", &actual);
}
