/// Adds two integers.
#[allow(clippy::needless_pass_by_value)]
fn add(a: i64, b: i64) -> i64 {
    a + b
}
const _: () = {
    type __McpTy0 = i64;
    type __McpTy1 = i64;
    #[derive(
        ::mcp_runtime::__private::serde::Deserialize,
        ::mcp_runtime::__private::schemars::JsonSchema
    )]
    #[serde(
        crate = "::mcp_runtime::__private::serde",
        deny_unknown_fields,
        expecting = "a JSON object with the arguments of tool `add`"
    )]
    #[schemars(crate = "::mcp_runtime::__private::schemars")]
    struct __McpArgs<__McpT0, __McpT1> {
        /// The first addend.
        a: __McpT0,
        b: __McpT1,
    }
    trait __McpIs<__McpT> {
        fn __mcp_cast(self) -> __McpT;
    }
    impl<__McpT> __McpIs<__McpT> for __McpT {
        #[inline(always)]
        fn __mcp_cast(self) -> __McpT {
            self
        }
    }
    const __MCP_NAME: &str = "add";
    fn __mcp_output() -> ::mcp_runtime::__private::OutputAdapter<i64> {
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
        (&&&::mcp_runtime::__private::Returns::<i64>::new()).__mcp_output()
    }
    fn __mcp_output_schema() -> ::core::option::Option<
        ::mcp_runtime::__private::schemars::Schema,
    > {
        (__mcp_output().schema)()
    }
    fn __mcp_call<
        __McpT0: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy0>,
        __McpT1: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy1>,
    >(
        __mcp_args: ::core::option::Option<
            &::mcp_runtime::__private::serde_json::value::RawValue,
        >,
        __mcp_ctx: &::mcp_runtime::__private::ToolContext,
    ) -> ::core::result::Result<
        ::mcp_runtime::__private::CallFuture,
        ::mcp_runtime::__private::CallToolResult,
    > {
        let __McpArgs { a: __mcp_v0, b: __mcp_v1 } = ::mcp_runtime::__private::parse_args::<
            __McpArgs<__McpT0, __McpT1>,
        >(__MCP_NAME, __mcp_args)?;
        let __mcp_output = __mcp_output();
        ::core::result::Result::Ok(
            ::mcp_runtime::__private::ready(
                (__mcp_output
                    .convert)(
                    add(
                        <__McpT0 as __McpIs<__McpTy0>>::__mcp_cast(__mcp_v0),
                        <__McpT1 as __McpIs<__McpTy1>>::__mcp_cast(__mcp_v1),
                    ),
                ),
            ),
        )
    }
    const fn __mcp_tool<
        __McpT0: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy0>,
        __McpT1: ::mcp_runtime::__private::ToolParam + __McpIs<__McpTy1>,
    >() -> ::mcp_runtime::__private::ToolDef {
        ::mcp_runtime::__private::ToolDef::new(
            __MCP_NAME,
            "Adds two integers.",
            ::mcp_runtime::__private::input_schema::<__McpArgs<__McpT0, __McpT1>>,
            __mcp_output_schema,
            __mcp_call::<__McpT0, __McpT1>,
            ::mcp_runtime::__private::Location {
                file: ::core::file!(),
                line: ::core::line!(),
                column: ::core::column!(),
                module_path: ::core::module_path!(),
            },
        )
    }
    ::mcp_runtime::__private::inventory::submit! {
        __mcp_tool:: < i64, i64 > ()
    }
};
