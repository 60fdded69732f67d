//! Real consumers of the documents zhenggai writes: LibreOffice (headless) converts a
//! .docx or .xlsx to PDF, poppler renders a page to PNG, and Python's openpyxl and
//! python-docx read them back. `scripts/test.sh` installs them and sets
//! `ZHENGGAI_OFFICE=1`; then a missing tool fails the test. Without the variable and
//! without the tools (a developer's laptop), the checks are skipped with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The tools, or `None` (with a message) when they are absent and not required.
pub fn consumers() -> Option<Consumers> {
    let required = std::env::var_os("ZHENGGAI_OFFICE").is_some();
    let missing: Vec<&str> = [
        ("soffice", &["--version"][..]),
        ("pdftoppm", &["-v"][..]),
        ("python3", &["-c", "import openpyxl, docx"][..]),
    ]
    .into_iter()
    .filter(|(tool, args)| {
        !Command::new(tool)
            .args(*args)
            .output()
            .is_ok_and(|o| o.status.success())
    })
    .map(|(tool, _)| tool)
    .collect();
    if missing.is_empty() {
        return Some(Consumers);
    }
    let msg = format!(
        "office consumers missing: {} (apt-get install libreoffice-writer-nogui \
         libreoffice-calc-nogui poppler-utils; pip install openpyxl python-docx; \
         scripts/test.sh does both)",
        missing.join(", ")
    );
    assert!(!required, "ZHENGGAI_OFFICE is set but {msg}");
    eprintln!("skipped: {msg}");
    None
}

/// Proof that the consumers are installed.
#[derive(Debug, Clone, Copy)]
pub struct Consumers;

impl Consumers {
    /// Converts `file` to PDF with LibreOffice into `out_dir`; panics with LibreOffice's
    /// output when it fails or writes nothing. Each call has its own profile, so tests
    /// may convert in parallel.
    pub fn to_pdf(&self, file: &Path, out_dir: &Path) -> PathBuf {
        let profile = tempfile::tempdir().expect("profile dir");
        let out = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.path().display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(out_dir)
            .arg(file)
            .output()
            .expect("run soffice");
        let stem = file.file_stem().unwrap_or_default();
        let pdf = out_dir.join(stem).with_extension("pdf");
        assert!(
            out.status.success() && pdf.exists(),
            "LibreOffice could not convert {}: {}{}",
            file.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        pdf
    }

    /// Renders page `page` (from 1) of a PDF to `png` at 80 dpi, for looking at.
    pub fn page_png(&self, pdf: &Path, page: u32, png: &Path) {
        let stem = png.with_extension("");
        let p = page.to_string();
        let out = Command::new("pdftoppm")
            .args(["-png", "-r", "80", "-singlefile", "-f", &p, "-l", &p])
            .arg(pdf)
            .arg(&stem)
            .output()
            .expect("run pdftoppm");
        assert!(
            out.status.success(),
            "pdftoppm failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The number of pages of a PDF (from pdfinfo's report).
    pub fn pages(&self, pdf: &Path) -> u32 {
        let out = Command::new("pdfinfo")
            .arg(pdf)
            .output()
            .expect("run pdfinfo");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("pdfinfo gave no page count for {}", pdf.display()))
    }

    /// Runs a Python script with `args` and returns what it printed; panics with its
    /// error output when it fails (an exception from openpyxl or python-docx included).
    pub fn python(&self, script: &str, args: &[&Path]) -> String {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(args)
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Where tests leave files to look at: `target/office-output/<name>`, kept after the run.
pub fn output_dir(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target")
                .to_path_buf()
        });
    let dir = target.join("office-output").join(name);
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}
