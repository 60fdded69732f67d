//! The write timings for zhenggai-bench: single changes one after another, the same from
//! 64 writers at once, and units of work of ten changes.

use std::time::Instant;

use zhenggai_core::{Actor, Change};
use zhenggai_store::{Store, Work};

pub async fn run(
    store: &dyn Store,
    appends: usize,
    pick: &(dyn Fn(usize) -> usize + Sync),
    editor: fn(usize) -> Actor,
) -> anyhow::Result<()> {
    let progress = |i: usize| Change::AddProgress {
        measure_id: format!("fb{}.f1.m0", pick(i)),
        text: "按计划推进".into(),
    };
    let t = Instant::now();
    for i in 0..appends {
        store
            .apply(&editor(pick(i)), Work::one(progress(i)))
            .await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "single committed changes: {} in {secs:.2} s = {:.0}/s",
        appends,
        appends as f64 / secs
    );
    // The same changes from 64 people at once, as a web server receives them: each its own
    // unit of work with its own answer, the writer committing those that wait together.
    let t = Instant::now();
    let writers = 64;
    let per = appends / writers;
    futures_util::future::try_join_all((0..writers).map(|w| async move {
        for k in 0..per {
            let i = w * per + k;
            store
                .apply(&editor(pick(i)), Work::one(progress(i)))
                .await?;
        }
        anyhow::Ok(())
    }))
    .await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "single committed changes from {writers} writers at once: {} in {secs:.2} s = {:.0}/s",
        per * writers,
        (per * writers) as f64 / secs
    );
    let t = Instant::now();
    let batches = appends / 10;
    for b in 0..batches {
        let u = pick(b);
        // Findings 1, 2, 4, 5 are in progress (every third one is closed).
        let changes = (0..10)
            .map(|k| Change::AddProgress {
                measure_id: format!("fb{u}.f{}.m{}", [1, 2, 4, 5][k / 3], k % 3),
                text: "按计划推进".into(),
            })
            .collect::<Vec<_>>();
        store.apply(&editor(u), Work::from(changes)).await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "units of work of 10 changes: {batches} in {secs:.2} s = {:.0} units/s = {:.0} changes/s",
        batches as f64 / secs,
        (batches * 10) as f64 / secs
    );
    Ok(())
}
