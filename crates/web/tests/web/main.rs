//! The web application's pages from outside, over HTTP on a real listener: the access
//! matrix generated from the route table, hostile input, and (with `ZHENGGAI_BROWSER=1`)
//! the whole closure workflow in Debian's chromium with screenshots.

mod browser;
mod csrf;
mod documents;
mod escaping;
mod guessing;
mod harness;
mod matrix;
mod sessions;
mod stats;
mod uploads;
