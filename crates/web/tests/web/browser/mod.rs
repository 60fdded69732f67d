//! Debian's chromium, driven through chromedriver (started here on a free port) with a
//! fresh profile. After every page it checks that no JavaScript dialog opened and that the
//! page holds no markup that came from someone's text; it saves a full-page screenshot of
//! every page it is asked to, as PNG, for a person to look at.
//!
//! The test is ignored by a plain `cargo test` (so that it never counts as passed when it
//! did not run); scripts/test.sh installs chromium, chromium-driver and fonts-noto-cjk,
//! sets `ZHENGGAI_BROWSER=1` and runs it with `--ignored browser`.

mod scenario;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const DESKTOP: (u32, u32) = (1366, 768);
pub const PHONE: (u32, u32) = (390, 844);

/// chromedriver, stopped (by its own process id) when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    pub async fn start() -> Driver {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(program).exists(),
                "{program} is missing: apt-get install chromium chromium-driver fonts-noto-cjk \
                 (scripts/test.sh does)"
            );
        }
        let port = free_port();
        // The browser's own words (date fields, the file button) in Chinese too.
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .env("LANGUAGE", "zh_CN:zh")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let driver = Driver { child, url };
        let started = Instant::now();
        loop {
            let up = reqwest::get(format!("{}/status", driver.url)).await;
            if up.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not answer"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        driver
    }

    /// A new browser with a profile of its own in `profile`.
    pub async fn browser(&self, profile: &std::path::Path) -> Client {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=zh-CN",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
        ];
        let caps = json!({
            "browserName": "chrome",
            // A dialog is left open for the checks to find, not dismissed.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": { "intl": { "accept_languages": "zh-CN,zh" } },
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!("an object")
        };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a chromium session")
    }
}

/// Where screenshots go: `target/screenshots` of the build's target directory.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Elements no page of ours has: a script of its own, an image, an event-handler attribute.
const INJECTED: &str = "return Array.from(document.querySelectorAll('*')).filter(function (e) {
    if (e.tagName === 'IMG') return true;
    if (e.tagName === 'SCRIPT' && e.getAttribute('src') !== '/static/app.js') return true;
    return Array.from(e.attributes).some(function (a) { return a.name.indexOf('on') === 0; });
  }).map(function (e) { return e.outerHTML.slice(0, 120); });";

/// The browser with the checks every page gets.
pub struct Page {
    pub c: Client,
    pub base: String,
    pub width: (u32, u32),
    pub shots: Vec<PathBuf>,
}

impl Page {
    /// Fails on an open dialog or on markup that came from text.
    pub async fn check(&self) {
        if let Ok(text) = self.c.get_alert_text().await {
            panic!("a JavaScript dialog opened: {text:?}");
        }
        let found = self.c.execute(INJECTED, vec![]).await.expect("script");
        assert_eq!(
            found,
            json!([]),
            "markup from text on {}",
            self.path().await
        );
    }

    pub async fn path(&self) -> String {
        let url = self.c.current_url().await.expect("url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub async fn go(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
        self.check().await;
    }

    /// The page's HTML as the browser has it.
    pub async fn html(&self) -> String {
        self.c.source().await.expect("source")
    }

    pub async fn has(&self, css: &str) -> bool {
        !self
            .c
            .find_all(Locator::Css(css))
            .await
            .expect("find")
            .is_empty()
    }

    /// Fills the form `css` (`fields` by name: text typed, a select set by value, a file
    /// input given a path) and presses its submit button; waits for the next page.
    pub async fn submit(&self, css: &str, fields: &[(&str, &str)]) {
        let here = self.path().await;
        let form = self
            .c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no form {css} on {here}: {e}"));
        for (name, value) in fields {
            let field = form
                .find(Locator::Css(&format!("[name=\"{name}\"]")))
                .await
                .unwrap_or_else(|e| panic!("no field {name} in {css}: {e}"));
            if field.tag_name().await.expect("tag") == "select" {
                field.select_by_value(value).await.expect("select");
            } else {
                field.send_keys(value).await.expect("type");
            }
        }
        self.c
            .execute("document.body.dataset.before = '1';", vec![])
            .await
            .expect("mark");
        form.find(Locator::Css("button[type=submit]"))
            .await
            .expect("a submit button")
            .click()
            .await
            .expect("click");
        let started = Instant::now();
        loop {
            let state = self
                .c
                .execute(
                    "return document.readyState === 'complete' && !document.body.dataset.before;",
                    vec![],
                )
                .await;
            if matches!(state, Ok(Value::Bool(true))) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no new page after {css}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.check().await;
    }

    pub async fn resize(&mut self, size: (u32, u32)) {
        self.width = size;
        self.c
            .set_window_size(size.0, size.1)
            .await
            .expect("window size");
    }

    /// Saves a full-page screenshot as `NAME.png` (the window stretched to the page's
    /// height for the shot).
    pub async fn shot(&mut self, name: &str) {
        let (w, h) = self.width;
        // Usable at this width: nothing runs off the side of the window.
        let overflow = self
            .c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .expect("widths");
        assert!(
            overflow.as_i64().is_some_and(|o| o <= 0),
            "{name}: the page is {overflow} px wider than a {w} px window"
        );
        let sizes = self
            .c
            .execute(
                "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight];",
                vec![],
            )
            .await
            .expect("page height");
        let height = sizes[0].as_u64().unwrap_or(u64::from(h)) + sizes[1].as_u64().unwrap_or(0);
        let height = u32::try_from(height).unwrap_or(h).clamp(h, 12_000);
        self.c.set_window_size(w, height).await.expect("stretch");
        let png = self.c.screenshot().await.expect("screenshot");
        self.c.set_window_size(w, h).await.expect("restore");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        self.shots.push(path);
    }

    /// Signs in through the form.
    pub async fn sign_in(&self, login: &str) {
        self.go("/login").await;
        self.submit(
            "form[action=\"/login\"]",
            &[("login", login), ("password", crate::harness::PASSWORD)],
        )
        .await;
        assert_eq!(self.path().await, "/", "{login} signed in");
    }

    pub async fn sign_out(&self) {
        if !self.has("form.who").await {
            // Error pages have no menu.
            self.go("/").await;
        }
        self.submit("form.who", &[]).await;
        assert_eq!(self.path().await, "/login");
    }
}
