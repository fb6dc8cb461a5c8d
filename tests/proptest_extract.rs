//! The 422's `loc`s are exactly the inputs a request broke: for any choice of broken path,
//! query, header and body fields, every one is listed, in argument order, and nothing else.
//! Failed garde constraints too: all of them, where serde stops at a body's first error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::extract::{Headers, Json, Path, Query};
use lambda_router::{App, testing};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Page {
    limit: u32,
    offset: u64,
    desc: bool,
}

#[derive(Deserialize)]
struct Auth<'a> {
    x_tenant: u16,
    #[allow(dead_code)]
    x_api_key: &'a str,
}

#[derive(Deserialize)]
struct Item<'a> {
    #[allow(dead_code)]
    name: &'a str,
    count: u8,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[allow(dead_code)]
    title: &'a str,
    #[serde(borrow)]
    items: Vec<Item<'a>>,
}

lambda_router::rebind!(Page, Auth<'a>, Item<'a>, Body<'a>);

fn handler(
    Path(id): Path<u32>,
    Query(page): Query<Page>,
    Headers(auth): Headers<Auth<'_>>,
    Json(body): Json<Body<'_>>,
) -> String {
    let counted: u32 = body.items.iter().map(|i| u32::from(i.count)).sum();
    format!(
        "{id} {} {} {} {} {counted}",
        page.limit, page.offset, page.desc, auth.x_tenant
    )
}

/// How one input is given: well, badly typed, or not at all.
#[derive(Debug, Clone, Copy)]
enum Given {
    Good,
    Bad,
    Absent,
}

fn given() -> impl Strategy<Value = Given> {
    prop_oneof![Just(Given::Good), Just(Given::Bad), Just(Given::Absent)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn locs_are_the_broken_inputs(
        id_bad in any::<bool>(),
        query in proptest::collection::vec(given(), 3),
        tenant in given(),
        key_absent in any::<bool>(),
        title in given(),
        counts in proptest::collection::vec(given(), 0..4),
    ) {
        let app = App::rest().post("/t/<id>", handler).build().unwrap();
        let mut expected: Vec<Value> = Vec::new();
        let path = if id_bad { "/t/x" } else { "/t/7" };
        if id_bad {
            expected.push(json!(["path", "id"]));
        }
        let mut event = testing::rest().post(path);
        // Text inputs read on past a broken field (a stand-in takes its place), so every
        // broken or missing field is listed, in declaration order, as pydantic lists them.
        for ((name, good), given) in [("limit", "5"), ("offset", "9"), ("desc", "true")]
            .into_iter()
            .zip(&query)
        {
            match given {
                Given::Good => event = event.query(name, good),
                Given::Bad => event = event.query(name, "nope"),
                Given::Absent => {}
            }
            if !matches!(given, Given::Good) {
                expected.push(json!(["query", name]));
            }
        }
        match tenant {
            Given::Good => event = event.header("X-Tenant", "3"),
            Given::Bad => event = event.header("X-Tenant", "-3"),
            Given::Absent => {}
        }
        if !key_absent {
            event = event.header("X-Api-Key", "k");
        }
        if !matches!(tenant, Given::Good) {
            expected.push(json!(["header", "x_tenant"]));
        }
        if key_absent {
            expected.push(json!(["header", "x_api_key"]));
        }
        // The body: the first broken field in document order.
        let mut body = serde_json::Map::new();
        let mut body_error = None;
        match title {
            Given::Good => { body.insert("title".into(), json!("t")); }
            Given::Bad => { body.insert("title".into(), json!(5)); }
            Given::Absent => {}
        }
        let mut items = Vec::new();
        for (index, count) in counts.iter().enumerate() {
            match count {
                Given::Good => items.push(json!({"name": "n", "count": 2})),
                Given::Bad => {
                    items.push(json!({"name": "n", "count": 300}));
                    body_error.get_or_insert(json!(["body", "items", index, "count"]));
                }
                Given::Absent => {
                    items.push(json!({"name": "n"}));
                    body_error.get_or_insert(json!(["body", "items", index, "count"]));
                }
            }
        }
        body.insert("items".into(), Value::Array(items));
        // `title` comes first in the document, so a broken title is the error reported.
        let body_error = match title {
            Given::Bad => Some(json!(["body", "title"])),
            Given::Absent => body_error.or(Some(json!(["body", "title"]))),
            Given::Good => body_error,
        };
        expected.extend(body_error);
        let response = testing::call(&app, event.body(Value::Object(body).to_string()));
        if expected.is_empty() {
            prop_assert_eq!(response.status(), 200);
        } else {
            prop_assert_eq!(response.status(), 422);
            let answer: Value = response.json().unwrap();
            let locs: Vec<Value> = answer["detail"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["loc"].clone())
                .collect();
            prop_assert_eq!(locs, expected);
        }
    }
}

/// Types that read well and break declared constraints instead.
#[cfg(feature = "validate")]
mod constraints {
    use lambda_router::extract::{Headers, Json, Path, Query, Valid};
    use lambda_router::{App, testing};
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::{Value, json};

    #[derive(Deserialize, garde::Validate)]
    struct Id {
        #[garde(range(min = 1))]
        id: u32,
    }

    #[derive(Deserialize, garde::Validate)]
    struct Page {
        #[garde(range(max = 50))]
        limit: u32,
        #[garde(range(max = 1000))]
        offset: u64,
    }

    #[derive(Deserialize, garde::Validate)]
    struct Tenant<'a> {
        #[garde(length(min = 3))]
        x_tenant: &'a str,
    }

    #[derive(Deserialize, garde::Validate)]
    struct Item<'a> {
        #[garde(length(min = 1))]
        name: &'a str,
        #[garde(range(min = 1, max = 9))]
        count: u8,
    }

    #[derive(Deserialize, garde::Validate)]
    struct Body<'a> {
        #[garde(length(min = 1, max = 20))]
        title: &'a str,
        #[serde(borrow)]
        #[garde(length(max = 3), dive)]
        items: Vec<Item<'a>>,
    }

    lambda_router::rebind!(Id, Page, Tenant<'a>, Item<'a>, Body<'a>);

    fn handler(
        Valid(Path(id)): Valid<Path<Id>>,
        Valid(Query(page)): Valid<Query<Page>>,
        Valid(Headers(tenant)): Valid<Headers<Tenant<'_>>>,
        Valid(Json(body)): Valid<Json<Body<'_>>>,
    ) -> String {
        let names: Vec<&str> = body.items.iter().map(|i| i.name).collect();
        format!(
            "{} {} {} {} {} {names:?}",
            id.id, page.limit, page.offset, tenant.x_tenant, body.title
        )
    }

    /// One item of the body: which of its fields break their constraint.
    fn item() -> impl Strategy<Value = (bool, bool)> {
        (any::<bool>(), any::<bool>())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn locs_are_every_broken_constraint(
            id_bad in any::<bool>(),
            limit_bad in any::<bool>(),
            offset_bad in any::<bool>(),
            tenant_bad in any::<bool>(),
            title_bad in any::<bool>(),
            items in proptest::collection::vec(item(), 0..5),
        ) {
            let app = App::rest().post("/t/<id>", handler).build().unwrap();
            let mut expected: Vec<Vec<Value>> = vec![Vec::new(); 4];
            if id_bad {
                expected[0].push(json!(["path", "id"]));
            }
            let limit = if limit_bad { "51" } else { "50" };
            let offset = if offset_bad { "1001" } else { "0" };
            if limit_bad {
                expected[1].push(json!(["query", "limit"]));
            }
            if offset_bad {
                expected[1].push(json!(["query", "offset"]));
            }
            let tenant = if tenant_bad { "ab" } else { "abc" };
            if tenant_bad {
                expected[2].push(json!(["header", "x_tenant"]));
            }
            let title = if title_bad { "" } else { "t" };
            if title_bad {
                expected[3].push(json!(["body", "title"]));
            }
            if items.len() > 3 {
                expected[3].push(json!(["body", "items"]));
            }
            let mut item_values = Vec::new();
            for (index, &(name_bad, count_bad)) in items.iter().enumerate() {
                let name = if name_bad { "" } else { "n" };
                let count = if count_bad { 0 } else { 9 };
                item_values.push(json!({ "name": name, "count": count }));
                if name_bad {
                    expected[3].push(json!(["body", "items", index, "name"]));
                }
                if count_bad {
                    expected[3].push(json!(["body", "items", index, "count"]));
                }
            }
            let body = json!({ "title": title, "items": item_values });
            let event = testing::rest()
                .post(if id_bad { "/t/0" } else { "/t/7" })
                .query("limit", limit)
                .query("offset", offset)
                .header("X-Tenant", tenant)
                .body(body.to_string());
            let response = testing::call(&app, event);
            if expected.iter().all(Vec::is_empty) {
                prop_assert_eq!(response.status(), 200);
            } else {
                prop_assert_eq!(response.status(), 422);
                let answer: Value = response.json().unwrap();
                let mut got: Vec<Vec<Value>> = vec![Vec::new(); 4];
                for error in answer["detail"].as_array().unwrap() {
                    prop_assert_eq!(&error["type"], "value_error");
                    let source = ["path", "query", "header", "body"]
                        .iter()
                        .position(|s| error["loc"][0] == *s)
                        .unwrap();
                    // Sources come in argument order: none before a later one's errors.
                    prop_assert!(got[source + 1..].iter().all(Vec::is_empty));
                    got[source].push(error["loc"].clone());
                }
                // Within one input, the order is garde's (by field name, then index).
                for locs in got.iter_mut().chain(expected.iter_mut()) {
                    locs.sort_by_key(Value::to_string);
                }
                prop_assert_eq!(got, expected);
            }
        }
    }
}
