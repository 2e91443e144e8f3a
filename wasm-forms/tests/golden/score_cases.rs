// The score reports pinned for the engine: (schema, notice rules, response, what
// `site-gen form score` printed for it). An expression, included by the native page test
// (wasm-forms/tests/page.rs) and the evaluation bundle's browser test
// (web/evaluation/tests/bindings.rs), each with its own `golden!` and `response!`.
[
    (
        golden!("wenzhou-evaluation.schema.txt"),
        golden!("wenzhou-2020.rules.txt"),
        response!("evaluation-full.json"),
        golden!("evaluation-full.score.json"),
    ),
    (
        golden!("wenzhou-evaluation.schema.txt"),
        golden!("wenzhou-2020.rules.txt"),
        response!("evaluation-partial.json"),
        golden!("evaluation-partial.score.json"),
    ),
    (
        golden!("shandong-acceptance.schema.txt"),
        golden!("shandong-2024.rules.txt"),
        response!("acceptance.json"),
        golden!("acceptance.score.json"),
    ),
]
