//! Native parse speed of the core (`parse_config`: text → role entries + diagnostics), in MB/s,
//! on the configs of `benches/gen-config.mjs` (2,000 / 10,000 / 50,000 role profiles).
//!
//! `./build.sh bench` runs it through `benches/run.sh`, which writes the configs to
//! `target/bench/config-N.ini` first; a missing config is generated here with `node`. Under
//! `cargo test --all-targets` (criterion's test mode, no `--bench`) only the 2,000-role config
//! is parsed, once, so that the tests stay fast.

use std::path::PathBuf;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SIZES: [usize; 3] = [2_000, 10_000, 50_000];

fn config_text(roles: usize) -> Option<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(format!("target/bench/config-{roles}.ini"));
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Some(text);
    }
    // The generator is the JS one, so that every benchmark reads byte-identical input.
    let output = Command::new("node")
        .arg(root.join("benches/gen-config.mjs"))
        .arg(roles.to_string())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    String::from_utf8(output.stdout).ok()
}

fn parse(c: &mut Criterion) {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if bench_mode { &SIZES } else { &SIZES[..1] };
    let mut group = c.benchmark_group("parse_config");
    // Short on purpose: the machine is shared and these are not timed tests.
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    for &roles in sizes {
        let Some(text) = config_text(roles) else {
            eprintln!("parse bench: no config for {roles} roles (node missing?); skipped");
            continue;
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(roles), &text, |b, text| {
            b.iter(|| aws_role_switcher::parse_config(std::hint::black_box(text)))
        });
    }
    group.finish();
}

/// The WASM `parseConfig`'s core: the same parse, written out as one JSON text
/// (`config::json`), with no `RoleEntry` copies. Not part of `benches/run.sh` (its filter
/// names `parse_config/N` only); run it with `cargo bench --bench parse -- parse_config_json`.
fn parse_json(c: &mut Criterion) {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if bench_mode { &SIZES } else { &SIZES[..1] };
    let mut group = c.benchmark_group("parse_config_json");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    for &roles in sizes {
        let Some(text) = config_text(roles) else {
            continue;
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(roles), &text, |b, text| {
            b.iter(|| {
                aws_role_switcher::config::json::parse_config_json(std::hint::black_box(text))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, parse_json);
criterion_main!(benches);
