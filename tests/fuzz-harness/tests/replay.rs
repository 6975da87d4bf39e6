//! Every committed fuzz input (the seed corpora and the saved crash reproducers) through its
//! harness function, so CI keeps them passing without a fuzzer.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_and_regression_input_passes_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut total = 0;
    for (name, target) in fuzz_harness::TARGETS {
        let corpus = inputs(&fuzz.join("corpus").join(name));
        // An empty corpus means the seeds were lost: the replay would prove nothing.
        assert!(!corpus.is_empty(), "no seed corpus for {name}");
        for file in corpus
            .iter()
            .chain(&inputs(&fuzz.join("regressions").join(name)))
        {
            let data = std::fs::read(file).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name} fails on {}", file.display());
            total += 1;
        }
    }
    println!("replayed {total} inputs");
}
