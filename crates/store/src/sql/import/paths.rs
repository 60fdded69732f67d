//! Where a record sits inside an imported document, for the errors that name it.

use zhenggai_core::Feedback;

/// The JSON path of the record with `id` inside a feedback at `path`.
pub(super) fn path_of(f: &Feedback, path: &str, id: &str) -> String {
    for (ci, c) in f.categories.iter().enumerate() {
        let cp = format!("{path}.categories[{ci}]");
        if c.id == id {
            return cp;
        }
        for (ai, a) in c.aspects.iter().enumerate() {
            let ap = format!("{cp}.aspects[{ai}]");
            if a.id == id {
                return ap;
            }
            for (fi, finding) in a.findings.iter().enumerate() {
                let fp = format!("{ap}.findings[{fi}]");
                if finding.id == id {
                    return fp;
                }
                for (mi, m) in finding.measures.iter().enumerate() {
                    if m.id == id || id.starts_with(&format!("{}#", m.id)) {
                        return format!("{fp}.measures[{mi}]");
                    }
                }
            }
        }
    }
    path.to_string()
}
