/// One note.
#[allow(clippy::needless_pass_by_value)]
async fn note(folder: String, id: u64, db: State<Db>) -> Result<String, ResourceError> {
    todo!()
}
const _: () = {
    #[allow(unused_variables)]
    fn __mcp_read(
        __mcp_req: &::mcp_runtime::__private::ResourceRequest,
        __mcp_ctx: &::mcp_runtime::__private::ToolContext,
    ) -> ::core::result::Result<
        ::mcp_runtime::__private::ReadFuture,
        ::mcp_runtime::__private::ResourceError,
    > {
        let __mcp_v0 = ::mcp_runtime::__private::uri_var::<String>(__mcp_req, "folder")?;
        let __mcp_v1 = ::mcp_runtime::__private::uri_var::<u64>(__mcp_req, "id")?;
        let __mcp_v2 = ::mcp_runtime::__private::context_value::<
            State<Db>,
            ::mcp_runtime::__private::ResourceError,
        >(__mcp_ctx)?;
        let __mcp_uri = ::std::string::String::from(__mcp_req.uri());
        let __mcp_mime = __mcp_req.mime_type();
        ::core::result::Result::Ok(
            ::mcp_runtime::__private::boxed_read(async move {
                <Result<
                    String,
                    ResourceError,
                > as ::mcp_runtime::__private::IntoResourceContents>::into_contents(
                    note(__mcp_v0, __mcp_v1, __mcp_v2).await,
                    &__mcp_uri,
                    __mcp_mime,
                )
            }),
        )
    }
    fn __mcp_complete(
        __mcp_request: &::mcp_runtime::__private::CompletionRequest,
    ) -> ::mcp_runtime::__private::Completion {
        match __mcp_request.argument() {
            "folder" => ::mcp_runtime::__private::complete_with(folders, __mcp_request),
            _ => ::mcp_runtime::__private::Completion::empty(),
        }
    }
    ::mcp_runtime::__private::inventory::submit! {
        ::mcp_runtime::__private::ResourceDef::new("notes://{folder}/{id}", true, "note",
        "One note.", __mcp_read, ::mcp_runtime::__private::Location { file :
        ::core::file!(), line : ::core::line!(), column : ::core::column!(), module_path
        : ::core::module_path!(), }).with_mime_type("text/markdown").with_scopes(&
        ["notes"]).with_complete(__mcp_complete).with_requirements(| __mcp_out | {
        ::mcp_runtime::__private::push_requirement:: < State < Db > > (__mcp_out); })
    }
};
