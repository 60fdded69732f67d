//! What every request handler shares: the store, the settings, the sign-in throttle.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zhenggai_core::report::Report;
use zhenggai_core::stats::UnitStats;
use zhenggai_core::{Actor, Date, Scope};
use zhenggai_store::{Applied, Store, StoreError, Work};

use crate::throttle::Throttle;

#[derive(Debug, Clone)]
pub struct Settings {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// Cookies carry `Secure` (the server is reached over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// Take the client's address from `X-Forwarded-For` (behind a trusted proxy).
    pub behind_proxy: bool,
    /// The largest upload accepted, in bytes (evidence files and documents to import).
    pub max_upload: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
            secure_cookies: false,
            behind_proxy: false,
            max_upload: zhenggai_store::DEFAULT_MAX_FILE,
        }
    }
}

/// Figures of every unit, kept for a little while: at province scale they take most of a
/// second to add up, and the office's pages show them on every visit.
const STATS_FRESH: Duration = Duration::from_secs(30);

type StatsCache = Mutex<Option<(Instant, Date, u64, Arc<Vec<UnitStats>>)>>;
/// Reports of every unit by round (none: all rounds), kept as the figures are.
type ReportCache = Mutex<HashMap<Option<String>, (Instant, Date, u64, Arc<Report>)>>;

/// Figures cached at `at` for `day` after change `g` still hold today, after `generation`.
fn fresh(at: Instant, day: Date, g: u64, today: Date, generation: u64) -> bool {
    day == today && g == generation && at.elapsed() < STATS_FRESH
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    pub throttle: Arc<Throttle>,
    /// Uploaded documents waiting for the user to confirm their import, by token.
    pub pending: Arc<crate::pages::import::Pending>,
    stats: Arc<StatsCache>,
    reports: Arc<ReportCache>,
    /// Counts the changes made through this server, so that figures cached before one are
    /// not shown after it.
    generation: Arc<AtomicU64>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> AppState {
        AppState {
            store,
            settings: Arc::new(settings),
            throttle: Arc::new(Throttle::default()),
            pending: Arc::default(),
            stats: Arc::default(),
            reports: Arc::default(),
            generation: Arc::default(),
        }
    }

    /// Applies a unit of work; figures cached before it are dropped.
    pub async fn apply(&self, actor: &Actor, work: Work) -> Result<Vec<Applied>, StoreError> {
        let applied = self.store.apply(actor, work).await;
        self.changed();
        applied
    }

    /// Something was written some other way (an import): drop the cached figures.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The figures the actor may see: those of every unit from a cache at most half a
    /// minute old, a unit's own straight from the store.
    pub async fn stats(
        &self,
        actor: &Actor,
        today: Date,
    ) -> Result<Arc<Vec<UnitStats>>, StoreError> {
        if actor.scope != Scope::All {
            return Ok(Arc::new(self.store.stats(actor, today).await?));
        }
        let generation = self.generation.load(Ordering::SeqCst);
        {
            let cached = self.stats.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, day, g, s)) = cached.as_ref() {
                if fresh(*at, *day, *g, today, generation) {
                    return Ok(s.clone());
                }
            }
        }
        let figures = Arc::new(self.store.stats(actor, today).await?);
        *self.stats.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), today, generation, figures.clone()));
        Ok(figures)
    }

    /// The statistics of a round (or of all rounds) the actor may see, cached like the
    /// figures for those who see every unit.
    pub async fn report(
        &self,
        actor: &Actor,
        today: Date,
        round_id: Option<&str>,
    ) -> Result<Arc<Report>, StoreError> {
        if actor.scope != Scope::All {
            return Ok(Arc::new(self.store.report(actor, today, round_id).await?));
        }
        let key = round_id.map(str::to_string);
        let generation = self.generation.load(Ordering::SeqCst);
        {
            let cached = self.reports.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, day, g, r)) = cached.get(&key) {
                if fresh(*at, *day, *g, today, generation) {
                    return Ok(r.clone());
                }
            }
        }
        let report = Arc::new(self.store.report(actor, today, round_id).await?);
        let mut cached = self.reports.lock().unwrap_or_else(|e| e.into_inner());
        // Stale entries go, so the map holds at most the rounds asked for lately.
        cached.retain(|_, (at, day, g, _)| fresh(*at, *day, *g, today, generation));
        cached.insert(key, (Instant::now(), today, generation, report.clone()));
        Ok(report)
    }
}
