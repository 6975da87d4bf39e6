/// Searches.
#[allow(clippy::needless_pass_by_value)]
fn search(query: Query, db: State<Db>) -> Vec<Content> {
    todo!()
}
const _: () = {
    type __McpTy0 = Query;
    type __McpTy1 = State<Db>;
    trait __McpIs<__McpT> {
        fn __mcp_cast(self) -> __McpT;
    }
    impl<__McpT> __McpIs<__McpT> for __McpT {
        #[inline(always)]
        fn __mcp_cast(self) -> __McpT {
            self
        }
    }
    #[allow(dead_code)]
    fn __mcp_args_shape() {
        #[allow(unused_imports)]
        use ::mcp_runtime::__private::{ArgsKnownNotObject as _, ArgsMaybeObject as _};
        ::mcp_runtime::__private::assert_object_args(
            (&::mcp_runtime::__private::ArgsProbe::<__McpTy0>::new()).__mcp_args_shape(),
        );
    }
    const __MCP_NAME: &str = "search";
    fn __mcp_output() -> ::mcp_runtime::__private::OutputAdapter<Vec<Content>> {
        #[allow(unused_imports)]
        use ::mcp_runtime::__private::{
            ViaIntoToolResult as _, ViaStructured as _, ViaStructuredResult as _,
        };
        trait __McpViaUnsupported<__McpT> {
            fn __mcp_output(self) -> ::mcp_runtime::__private::OutputAdapter<__McpT>
            where
                __McpT: ::mcp_runtime::__private::IntoToolResult;
        }
        impl<__McpT> __McpViaUnsupported<__McpT>
        for ::mcp_runtime::__private::Returns<__McpT> {
            fn __mcp_output(self) -> ::mcp_runtime::__private::OutputAdapter<__McpT>
            where
                __McpT: ::mcp_runtime::__private::IntoToolResult,
            {
                ::mcp_runtime::__private::ViaIntoToolResult::__mcp_output(&&&self)
            }
        }
        (&&&::mcp_runtime::__private::Returns::<Vec<Content>>::new()).__mcp_output()
    }
    fn __mcp_output_schema() -> ::core::option::Option<
        ::mcp_runtime::__private::schemars::Schema,
    > {
        (__mcp_output().schema)()
    }
    fn __mcp_call<
        __McpT0: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy0>,
        __McpT1: ::mcp_runtime::__private::FromToolContext + __McpIs<__McpTy1>,
    >(
        __mcp_args: ::core::option::Option<
            &::mcp_runtime::__private::serde_json::value::RawValue,
        >,
        __mcp_ctx: &::mcp_runtime::__private::ToolContext,
    ) -> ::core::result::Result<
        ::mcp_runtime::__private::CallFuture,
        ::mcp_runtime::__private::CallToolResult,
    > {
        let __mcp_v0 = ::mcp_runtime::__private::parse_args::<
            __McpT0,
        >(__MCP_NAME, __mcp_args)?;
        let __mcp_v1 = ::mcp_runtime::__private::context_param::<__McpT1>(__mcp_ctx)?;
        let __mcp_output = __mcp_output();
        ::core::result::Result::Ok(
            ::mcp_runtime::__private::ready(
                (__mcp_output
                    .convert)(
                    search(
                        <__McpT0 as __McpIs<__McpTy0>>::__mcp_cast(__mcp_v0),
                        <__McpT1 as __McpIs<__McpTy1>>::__mcp_cast(__mcp_v1),
                    ),
                ),
            ),
        )
    }
    const fn __mcp_tool<
        __McpT0: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy0>,
        __McpT1: ::mcp_runtime::__private::FromToolContext + __McpIs<__McpTy1>,
    >() -> ::mcp_runtime::__private::ToolDef {
        ::mcp_runtime::__private::ToolDef::new(
                __MCP_NAME,
                "Searches.",
                ::mcp_runtime::__private::input_schema::<__McpT0>,
                __mcp_output_schema,
                __mcp_call::<__McpT0, __McpT1>,
                ::mcp_runtime::__private::Location {
                    file: ::core::file!(),
                    line: ::core::line!(),
                    column: ::core::column!(),
                    module_path: ::core::module_path!(),
                },
            )
            .with_requirements(|__mcp_out| {
                ::mcp_runtime::__private::push_requirement::<__McpT1>(__mcp_out);
            })
    }
    ::mcp_runtime::__private::inventory::submit! {
        __mcp_tool:: < Query, State < Db > > ()
    }
};
