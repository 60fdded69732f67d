//! Which numbering level holds the findings, and which levels are one.

use crate::outline::{Item, ACTION, SECTION};
use crate::words::says_wrong;

/// Two numbering styles that both head problems, where one never appears inside the other
/// (findings numbered (1) under one category and 1. under the next), are one level. Returns
/// the number of levels left.
pub(crate) fn merge_interchangeable_levels(items: &mut [Item<'_>], levels: usize) -> usize {
    let mut levels = levels;
    while let Some((a, b)) = interchangeable_pair(items, levels) {
        for it in items.iter_mut() {
            if it.level == b {
                it.level = a;
            } else if it.level > b {
                it.level -= 1;
            }
        }
        levels -= 1;
    }
    levels
}

fn interchangeable_pair(items: &[Item<'_>], levels: usize) -> Option<(usize, usize)> {
    let problem_ratio = |l: usize| {
        let at: Vec<&Item<'_>> = items.iter().filter(|it| it.level == l).collect();
        at.iter().filter(|it| it.problem).count() as f64 / at.len().max(1) as f64
    };
    let heads: Vec<bool> = (0..levels).map(|l| problem_ratio(l) >= 0.5).collect();
    let nests = |a: usize, b: usize| {
        // The level each item hangs under: the nearest earlier item of a shallower level.
        let mut stack: Vec<usize> = Vec::new();
        items.iter().any(|it| {
            while stack.last().is_some_and(|&top| top >= it.level) {
                stack.pop();
            }
            let under_a = it.level == b && stack.last() == Some(&a);
            stack.push(it.level);
            under_a
        })
    };
    (0..levels)
        .flat_map(|a| (a + 1..levels).map(move |b| (a, b)))
        .find(|&(a, b)| heads[a] && heads[b] && !nests(a, b))
}

/// The level whose items are the findings: the one whose headings name problems, else the
/// shallowest whose items carry enumerated measures, else the deepest whose headings read
/// like problems rather than accounts of work.
pub(crate) fn finding_level(items: &[Item<'_>], levels: usize, lines: &[&str]) -> usize {
    let at = |l: usize| items.iter().filter(move |it| it.level == l);
    let ratio = |l: usize, f: &dyn Fn(&Item<'_>) -> bool| {
        let n = at(l).count();
        if n == 0 {
            0.0
        } else {
            at(l).filter(|it| f(it)).count() as f64 / n as f64
        }
    };
    let mut best: Option<(usize, f64)> = None;
    for l in 0..levels {
        let r = ratio(l, &|it| it.problem);
        // On a tie the deeper level: a group heading may name a problem too.
        if r >= 0.3 && best.is_none_or(|(_, b)| r >= b) {
            best = Some((l, r));
        }
    }
    if let Some((l, _)) = best {
        return l;
    }
    let text_of = |it: &Item<'_>| {
        let mut t = it.rest.to_string();
        for &b in &it.body {
            t.push('\n');
            t.push_str(lines[b]);
        }
        t
    };
    for l in 0..levels {
        if ratio(l, &|it| crate::measures::has_enumeration(&text_of(it))) > 0.5 {
            return l;
        }
    }
    let first_sentence = |it: &Item<'_>| {
        it.rest
            .split(['。', ':', '：'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    (0..levels)
        .rev()
        .find(|&l| {
            ratio(l, &|it| says_wrong(&first_sentence(it), true)) >= 0.5
                && ratio(l, &|it| ACTION.is_match(it.rest)) < 0.5
                && ratio(l, &|it| SECTION.is_match(it.rest)) < 0.5
        })
        .unwrap_or(levels.saturating_sub(1).min(2))
}
