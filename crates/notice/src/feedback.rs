//! The problems of a feedback list (现将巡察情况通报如下, then numbered problems) or of the
//! news of a feedback meeting (发现的问题主要有:一是…;二是…). A feedback problem is stated,
//! not answered: its title is its heading sentence and it has no measures.

use std::sync::LazyLock;

use regex::Regex;

use crate::measures::{best_run, split_title};
use crate::model::{Finding, FindingStatus};
use crate::outline::{re, FindingItem, Tree};

/// What introduces the problems in prose: 巡察也发现了一些问题，主要有: / 存在以下问题: /
/// 在以下方面存在问题:.
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:问题|不足)(?:[^。:：]{0,16}?(?:主要(?:有|是|表现在|包括)|如下|包括))?\s*[:：]")
});

/// The problem a numbered heading states: what a quote holds (针对“…”), else its first
/// sentence.
fn heading_sentence(rest: &str) -> String {
    let rest = rest.trim();
    if rest.starts_with("针对") || rest.starts_with("关于") || rest.starts_with("问题") {
        return split_title(rest).0;
    }
    match rest.find('。') {
        Some(end) => rest[..end + '。'.len_utf8()].to_string(),
        None => rest.to_string(),
    }
}

fn stated(number: String, title: String, f: Option<&FindingItem<'_>>, line: usize) -> Finding {
    Finding {
        number,
        title,
        category: f.and_then(|f| f.category),
        aspect: f.and_then(|f| f.aspect),
        line,
        status: FindingStatus::Unknown,
        measures: Vec::new(),
    }
}

pub fn findings(tree: &Tree<'_>, lines: &[&str]) -> Vec<Finding> {
    if !tree.findings.is_empty() {
        return tree
            .findings
            .iter()
            .map(|f| {
                stated(
                    f.number.to_string(),
                    heading_sentence(f.rest),
                    Some(f),
                    f.line + 1,
                )
            })
            .collect();
    }
    // No numbered problems: the first enumeration after a lead-in, one problem per item.
    for (i, line) in lines.iter().enumerate() {
        let Some(m) = LEAD_IN.find(line) else {
            continue;
        };
        let list = &line[m.end()..];
        let run = best_run(list);
        if run.is_empty() {
            continue;
        }
        return run
            .iter()
            .enumerate()
            .map(|(k, &(_, content))| {
                let end = run.get(k + 1).map_or(list.len(), |next| next.0);
                let title = list[content..end]
                    .trim()
                    .trim_end_matches([';', '；', ',', '，'])
                    .trim()
                    .to_string();
                stated((k + 1).to_string(), title, None, i + 1)
            })
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split('\n').collect();
        let tree = crate::outline::build(&lines, &mut Vec::new());
        findings(&tree, &lines)
            .into_iter()
            .map(|f| {
                assert!(f.measures.is_empty());
                f.title
            })
            .collect()
    }

    #[test]
    fn numbered_problems_are_their_heading_sentences() {
        assert_eq!(
            titles("现将巡察情况通报如下:\n1.学习贯彻不深入。研讨流于形式,记录不全。\n2.财务管理不规范。报销手续不全。"),
            vec!["学习贯彻不深入。", "财务管理不规范。"]
        );
    }

    #[test]
    fn problems_enumerated_in_prose() {
        assert_eq!(
            titles("组长反馈时指出:\n巡察发现了一些问题,主要有:一是学习不深入;二是制度执行不严;三是台账不全。\n书记表示:将认真整改。"),
            vec!["学习不深入", "制度执行不严", "台账不全。"]
        );
        assert_eq!(
            titles("巡察组指出,该局在以下方面存在问题:一是学习不深入;二是台账不全。\n巡察组要求抓好整改。"),
            vec!["学习不深入", "台账不全。"]
        );
        // Problems listed without enumeration are not itemised.
        assert!(titles("发现的问题主要是:学习不深入;制度执行不严等。").is_empty());
    }
}
