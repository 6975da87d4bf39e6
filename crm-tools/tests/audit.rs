//! The audit log of real tool calls: one `mcp_audit` line per call of each of the eleven
//! tools, naming tenant, user, client, tool, what was asked and how many records matched —
//! and, anywhere in everything the process logged, never the bearer token nor the stored
//! value of a property the caller may not see.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[macro_use]
mod support;

use std::{
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

use serde_json::{Value, json};
use support::{Caller, all_scopes};
use tracing_subscriber::{fmt::MakeWriter, layer::SubscriberExt as _};

/// Everything the process logs, as JSON lines (TRACE: spans and every event).
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// The global log buffer (the server runs on its own runtime's threads, so a thread-local
/// subscriber would see nothing).
fn logs() -> &'static Buffer {
    static LOGS: OnceLock<Buffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Buffer::default();
        let layer = tracing_subscriber::fmt::layer()
            .json()
            .with_span_list(true)
            .with_writer(buffer.clone());
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

/// The two backends' tests share the log: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The audit lines logged since `from` (a byte offset into the log).
fn audit_lines(from: usize) -> Vec<Value> {
    let bytes = logs().0.lock().unwrap()[from..].to_vec();
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["target"] == "mcp_audit")
        .map(|l| l["fields"].clone())
        .collect()
}

fn log_len() -> usize {
    logs().0.lock().unwrap().len()
}

async fn audit_lines_name_the_caller_and_never_the_data() {
    let _serial = SERIAL.lock().await;
    let start = log_len();
    let admin = Caller::user(1);
    // User 6 may not see contact email (nor deal amount).
    let analyst = Caller::user(6);

    // A contact the analyst may see, and its stored email, read by the admin who may see it.
    let page = analyst.search("object_type:contacts limit:50").await;
    let ids: Vec<i64> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["id"]
                .as_str()
                .unwrap()
                .split_once(':')
                .unwrap()
                .1
                .parse()
                .unwrap()
        })
        .collect();
    let stored = admin
        .call(
            "get_crm_objects",
            json!({"objectType": "contacts", "objectIds": ids, "properties": ["email"]}),
        )
        .await
        .unwrap();
    let with_email = stored["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["properties"]["email"].is_string())
        .unwrap_or_else(|| panic!("none of {ids:?} has an email"));
    let email = with_email["properties"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(email.contains('@'), "{stored}");
    let record_id: i64 = with_email["id"].as_str().unwrap().parse().unwrap();
    let id = format!("contacts:{record_id}");

    let calls = [
        ("search", json!({"query": "object_type:contacts limit:3"})),
        ("fetch", json!({"id": id})),
        (
            "search_crm_objects",
            json!({"objectType": "contacts", "limit": 2, "query": "a"}),
        ),
        (
            "get_crm_objects",
            json!({"objectType": "contacts", "objectIds": [record_id, 999_999_999]}),
        ),
        (
            "list_associations",
            json!({"objectType": "contacts", "objectId": record_id, "toObjectType": "companies"}),
        ),
        ("search_owners", json!({"limit": 5})),
        (
            "search_properties",
            json!({"objectType": "contacts", "keywords": ["mail"]}),
        ),
        (
            "get_properties",
            json!({"objectType": "contacts", "propertyNames": ["email", "firstname"]}),
        ),
        ("get_pipelines", json!({"objectType": "deals"})),
        ("get_user_details", json!({})),
        (
            "aggregate_crm_objects",
            json!({"objectType": "contacts", "groupBy": ["lifecyclestage"]}),
        ),
    ];
    for (tool, arguments) in &calls {
        analyst
            .call(tool, arguments.clone())
            .await
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
    }
    // A hidden property is an unknown one: a tool error, audited with what was asked.
    let refused = analyst
        .call("search", json!({"query": "object_type:deals amount:gt:0"}))
        .await
        .unwrap_err();
    assert!(refused.contains("unknown property"), "{refused}");
    // A token without the owners scope: 403, audited as forbidden.
    let scopes: Vec<String> = all_scopes()
        .into_iter()
        .filter(|s| s != "crm.objects.owners.read")
        .collect();
    let unscoped = Caller::new(1, 6, &scopes);
    let (status, _) = unscoped
        .rpc(
            "tools/call",
            json!({"name": "search_owners", "arguments": {}}),
        )
        .await;
    assert_eq!(status, 403);

    let lines = audit_lines(start);
    let analyst_lines: Vec<&Value> = lines.iter().filter(|l| l["user"] == "6").collect();
    // The first line is the analyst's own search above.
    let analyst_lines = &analyst_lines[1..];
    assert_eq!(
        analyst_lines.len(),
        calls.len() + 2,
        "one line per call: {analyst_lines:#?}"
    );
    for (line, (tool, _)) in analyst_lines.iter().zip(&calls) {
        assert_eq!(line["tool"], *tool, "{line}");
        assert_eq!(line["outcome"], "ok", "{line}");
        assert_eq!(line["tenant"], "1", "{line}");
        assert_eq!(line["client"], "test", "{line}");
        assert!(line["duration_ms"].as_f64().unwrap() >= 0.0, "{line}");
        assert!(
            line["total"].as_u64().is_some(),
            "{tool} reports how many records matched: {line}"
        );
        assert!(
            line["query"].is_string() || line["ids"].is_string(),
            "{tool} says what it was asked: {line}"
        );
    }
    let by_tool = |tool: &str| {
        *analyst_lines
            .iter()
            .find(|l| l["tool"] == tool)
            .unwrap_or_else(|| panic!("no line for {tool}"))
    };
    assert_eq!(by_tool("search")["query"], "object_type:contacts limit:3");
    assert_eq!(by_tool("fetch")["ids"], id.as_str());
    assert_eq!(by_tool("fetch")["total"], 1);
    assert_eq!(
        by_tool("get_crm_objects")["ids"],
        format!("{record_id},999999999")
    );
    assert_eq!(by_tool("get_crm_objects")["total"], 1);
    assert_eq!(
        by_tool("search_crm_objects")["query"],
        r#"contacts q "a" sort hs_object_id asc limit 2 offset 0"#
    );
    assert_eq!(
        by_tool("aggregate_crm_objects")["query"],
        "contacts count by lifecyclestage"
    );
    let refused_line = &analyst_lines[calls.len()];
    assert_eq!(refused_line["outcome"], "tool_error");
    assert_eq!(refused_line["query"], "object_type:deals amount:gt:0");
    let forbidden = &analyst_lines[calls.len() + 1];
    assert_eq!(forbidden["outcome"], "forbidden");
    assert_eq!(forbidden["tool"], "search_owners");

    let everything = String::from_utf8(logs().0.lock().unwrap()[start..].to_vec()).unwrap();
    for (what, secret) in [
        ("the admin's token", admin.token()),
        ("the analyst's token", analyst.token()),
        ("the unscoped token", unscoped.token()),
        ("a hidden property's value", email.as_str()),
    ] {
        assert!(!everything.contains(secret), "{what} is in the log");
    }
    // The signature alone (a token cut at a dot) must not be there either.
    let signature = analyst.token().rsplit('.').next().unwrap();
    assert!(!everything.contains(signature));
}

on_both_backends!(audit_lines_name_the_caller_and_never_the_data);
