//! What every request handler shares: the store, the settings, the sign-in throttle.

use std::sync::Arc;
use std::time::Duration;

use zhenggai_store::Store;

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

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    pub throttle: Arc<Throttle>,
    /// Uploaded documents waiting for the user to confirm their import, by token.
    pub pending: Arc<crate::pages::import::Pending>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> AppState {
        AppState {
            store,
            settings: Arc::new(settings),
            throttle: Arc::new(Throttle::default()),
            pending: Arc::default(),
        }
    }
}
