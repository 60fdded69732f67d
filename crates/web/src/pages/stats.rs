//! Statistics of a round or of all rounds: the sentence an office publishes, the figures by
//! category, unit and month, charts drawn on the server, and the same figures to take away
//! (a workbook, the text, JSON, each chart as SVG). Everyone signed in may look; what they
//! see is what the store lets them read (a unit's people: their own unit).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use zhenggai_core::report::{outcome_figures, percent, Report, Tally};
use zhenggai_office::charts;

use super::evidence::disposition;
use super::render;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{Flash, Me};

/// A row of counts: done, basically done, not done, transferred, and the rate.
pub struct TallyLine {
    pub label: String,
    pub findings: i64,
    pub done: i64,
    pub basically_done: i64,
    pub not_done: i64,
    pub transferred: i64,
    pub rate: String,
}

impl TallyLine {
    fn of(label: &str, t: &Tally) -> TallyLine {
        TallyLine {
            label: label.to_string(),
            findings: t.findings,
            done: t.done,
            basically_done: t.basically_done,
            not_done: t.not_done,
            transferred: t.transferred,
            rate: percent(t.completion_rate),
        }
    }
}

pub struct ChartView {
    pub name: &'static str,
    pub title: &'static str,
    pub svg: String,
}

/// Beyond this many units the page points to the workbook instead of a table.
const MAX_UNIT_LINES: usize = 500;

/// What the statistics block of a page shows.
pub struct StatsView {
    pub paragraph: String,
    pub totals: TallyLine,
    pub categories: Vec<TallyLine>,
    /// Each unit's line, unless there are more than a page should hold.
    pub units: Vec<(String, TallyLine)>,
    pub units_left_out: usize,
    pub outcomes: Vec<(String, String)>,
    pub months: Vec<(String, i64, i64)>,
    pub charts: Vec<ChartView>,
    /// `?round=…` for the downloads, empty for all rounds.
    pub query: String,
    pub empty: bool,
}

impl StatsView {
    pub fn of(r: &Report) -> StatsView {
        let query = match &r.round_id {
            Some(id) => format!(
                "?round={}",
                percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC)
            ),
            None => String::new(),
        };
        StatsView {
            paragraph: r.paragraph(),
            totals: TallyLine::of("合计", &r.totals),
            categories: r
                .categories
                .iter()
                .map(|c| TallyLine::of(&c.title, &Tally::of(&c.by_status)))
                .collect(),
            units: r
                .units
                .iter()
                .take(if r.units.len() > MAX_UNIT_LINES {
                    0
                } else {
                    MAX_UNIT_LINES
                })
                .map(|u| {
                    (
                        u.round.clone(),
                        TallyLine::of(&u.unit, &Tally::of(&u.by_status)),
                    )
                })
                .collect(),
            units_left_out: if r.units.len() > MAX_UNIT_LINES {
                r.units.len()
            } else {
                0
            },
            outcomes: outcome_figures(&r.outcomes),
            months: r
                .months
                .iter()
                .zip(r.cumulative())
                .map(|(m, (_, total))| (m.month.clone(), m.closed, total))
                .collect(),
            charts: charts::CHARTS
                .iter()
                .filter_map(|(name, title)| {
                    charts::chart(name, r).map(|svg| ChartView { name, title, svg })
                })
                .collect(),
            query,
            empty: r.units.is_empty(),
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatsQuery {
    round: Option<String>,
    format: Option<String>,
}

impl StatsQuery {
    fn round(&self) -> Option<&str> {
        self.round.as_deref().filter(|r| !r.trim().is_empty())
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    me: Option<Me>,
    flash: Option<Flash>,
    title: String,
    rounds: Vec<(String, String, bool)>,
    all_rounds: bool,
    stats: StatsView,
}

async fn report(state: &AppState, me: &SignedIn, q: &StatsQuery) -> Result<Report, WebError> {
    let today = state.store.clock().today();
    let r = state.report(&me.actor, today, q.round()).await?;
    Ok(Report::clone(&r))
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<StatsQuery>,
) -> Result<Html<String>, PageError> {
    let r = report(&state, &me, &q).await?;
    let rounds = state
        .store
        .rounds(&me.actor)
        .await?
        .into_iter()
        .map(|x| {
            let chosen = q.round() == Some(x.id.as_str());
            (x.id, x.name, chosen)
        })
        .collect();
    render(&StatsPage {
        me: Some(Me::of(&me)),
        flash: None,
        title: r.round.clone().unwrap_or_else(|| "各轮巡察".into()),
        rounds,
        all_rounds: q.round().is_none(),
        stats: StatsView::of(&r),
    })
}

fn file_name(r: &Report, ext: &str) -> String {
    format!(
        "{}整改统计（截至{}）.{ext}",
        r.round.as_deref().unwrap_or("各轮巡察"),
        r.as_of.zh()
    )
}

fn attachment(name: &str, media_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, disposition(name)),
        ],
        bytes,
    )
        .into_response()
}

/// The statistics as a workbook (`format=xlsx`, the default), the text (`txt`) or JSON.
pub async fn download(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<StatsQuery>,
) -> Result<Response, PageError> {
    let r = report(&state, &me, &q).await?;
    match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => {
            let bytes = zhenggai_office::stats_xlsx::workbook(&r).map_err(|e| {
                tracing::error!(error = ?e, "stats workbook");
                WebError::Store(zhenggai_store::StoreError::Internal(
                    "stats workbook".into(),
                ))
            })?;
            Ok(attachment(
                &file_name(&r, "xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            ))
        }
        "txt" => Ok(attachment(
            &file_name(&r, "txt"),
            "text/plain; charset=utf-8",
            zhenggai_office::stats_text::render(&r).into_bytes(),
        )),
        "json" => {
            let bytes = serde_json::to_vec_pretty(&r).map_err(|e| {
                tracing::error!(error = %e, "stats json");
                WebError::Store(zhenggai_store::StoreError::Internal("stats json".into()))
            })?;
            Ok(attachment(
                &file_name(&r, "json"),
                "application/json",
                bytes,
            ))
        }
        other => Err(PageError(WebError::BadRequest(format!(
            "不支持的格式“{other}”：可选 xlsx、txt、json"
        )))),
    }
}

/// One chart as an SVG file, by its name (`completion-by-unit.svg`, …).
pub async fn chart(
    State(state): State<AppState>,
    me: SignedIn,
    Path(name): Path<String>,
    Query(q): Query<StatsQuery>,
) -> Result<Response, PageError> {
    let stem = name.strip_suffix(".svg").unwrap_or(&name);
    let Some((stem, title)) = charts::CHARTS.iter().find(|(n, _)| *n == stem).copied() else {
        return Err(PageError(WebError::NoRoute));
    };
    let r = report(&state, &me, &q).await?;
    let svg = charts::chart(stem, &r).ok_or(WebError::NoRoute)?;
    Ok(attachment(
        &format!("{}{title}.svg", r.round.as_deref().unwrap_or("各轮巡察")),
        "image/svg+xml; charset=utf-8",
        svg.into_bytes(),
    ))
}
