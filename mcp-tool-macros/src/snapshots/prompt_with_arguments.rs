/// Reviews a diff.
#[allow(clippy::needless_pass_by_value)]
fn review(diff: String, audience: Option<String>) -> Vec<PromptMessage> {
    todo!()
}
const _: () = {
    const __MCP_ARGUMENTS: &[::mcp_runtime::__private::PromptArgument] = &[
        ::mcp_runtime::__private::PromptArgument {
            name: "diff",
            description: "The diff.",
            required: <String as ::mcp_runtime::__private::PromptArg>::REQUIRED,
        },
        ::mcp_runtime::__private::PromptArgument {
            name: "audience",
            description: "Who reads it.",
            required: <Option<String> as ::mcp_runtime::__private::PromptArg>::REQUIRED,
        },
    ];
    #[allow(unused_variables)]
    fn __mcp_get(
        __mcp_args: &::mcp_runtime::__private::PromptArguments,
        __mcp_ctx: &::mcp_runtime::__private::ToolContext,
    ) -> ::core::result::Result<
        ::mcp_runtime::__private::PromptFuture,
        ::mcp_runtime::__private::PromptError,
    > {
        let __mcp_v0 = <String as ::mcp_runtime::__private::PromptArg>::from_arg(
                __mcp_args.get("diff"),
            )
            .ok_or_else(|| ::mcp_runtime::__private::missing_argument("diff"))?;
        let __mcp_v1 = <Option<
            String,
        > as ::mcp_runtime::__private::PromptArg>::from_arg(__mcp_args.get("audience"))
            .ok_or_else(|| ::mcp_runtime::__private::missing_argument("audience"))?;
        ::core::result::Result::Ok(
            ::mcp_runtime::__private::ready_prompt(
                <Vec<
                    PromptMessage,
                > as ::mcp_runtime::__private::IntoPromptResult>::into_prompt_result(
                    review(__mcp_v0, __mcp_v1),
                ),
            ),
        )
    }
    fn __mcp_complete(
        __mcp_request: &::mcp_runtime::__private::CompletionRequest,
    ) -> ::mcp_runtime::__private::Completion {
        match __mcp_request.argument() {
            "audience" => {
                ::mcp_runtime::__private::complete_with(audiences, __mcp_request)
            }
            _ => ::mcp_runtime::__private::Completion::empty(),
        }
    }
    ::mcp_runtime::__private::inventory::submit! {
        ::mcp_runtime::__private::PromptDef::new("review", "Reviews a diff.",
        __MCP_ARGUMENTS, __mcp_get, ::mcp_runtime::__private::Location { file :
        ::core::file!(), line : ::core::line!(), column : ::core::column!(), module_path
        : ::core::module_path!(), }).with_title("Review").with_complete(__mcp_complete)
    }
};
