//! Where the manager keeps what it knows between runs: one [`SavedState`] document behind a [`Store`].
//! [`FileStore`] writes it to the app's data folder atomically (temp file, fsync, rename), owner-only on
//! Unix; on Windows the per-user data folder (`%APPDATA%`) already has an owner-only ACL.

use crate::jwks::Jwks;
use crate::policy::ServerAnswer;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The last answer the server gave, and when (Unix seconds, this machine's clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The answer (never [`ServerAnswer::Unreachable`]: a failed attempt is not a verdict).
    pub answer: ServerAnswer,
    /// When it came.
    pub at: u64,
}

/// Everything the manager persists. Fields added later have defaults, so an older file still loads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// The license key (`SR-PREMIUM-eyJ…`), replaced by the newest one after each answer.
    pub key: Option<String>,
    /// The lease (JWT) of this machine.
    pub lease: Option<String>,
    /// The JWKS last fetched from the service; `None`: the bundled one.
    pub jwks: Option<Jwks>,
    /// The largest `iat` ever seen from the server.
    pub max_server_iat: u64,
    /// The latest wall-clock time this install has seen.
    pub latest_seen: u64,
    /// Use time (monotonic seconds the app ran) since the last online answer.
    pub use_secs: u64,
    /// The last verdict of the server.
    pub verdict: Option<Verdict>,
    /// When the last attempt to reach the server failed, if it failed since the last verdict.
    pub unreachable_at: Option<u64>,
    /// Not before this time (Unix seconds): the server's `Retry-After`.
    pub retry_not_before: Option<u64>,
    /// The install's Ed25519 key (PKCS#8, base64url), created once; the seat is bound to it (DPoP).
    pub install_key: Option<String>,
}

/// The store could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoreError {
    /// An I/O error (permissions, disk full), with the path.
    Io {
        /// What failed.
        message: String,
    },
    /// The saved document is not a [`SavedState`] (the manager starts over from an empty state).
    Corrupt {
        /// Why it did not parse.
        message: String,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Io { message } => write!(f, "license storage: {message}"),
            StoreError::Corrupt { message } => write!(f, "license storage is corrupt: {message}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Keeps the [`SavedState`]. `load` of a store never saved to is the default state.
pub trait Store {
    /// The saved state, or the default one when nothing was saved yet.
    fn load(&self) -> Result<SavedState, StoreError>;
    /// Replaces the saved state, all or nothing.
    fn save(&self, state: &SavedState) -> Result<(), StoreError>;
}

/// A store in memory (tests, or an app that persists the state its own way).
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<SavedState>);

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

impl Store for MemoryStore {
    fn load(&self) -> Result<SavedState, StoreError> {
        Ok(self.0.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn save(&self, state: &SavedState) -> Result<(), StoreError> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = state.clone();
        Ok(())
    }
}

/// `license.json` in a folder of its own (e.g. Tauri's `app_data_dir()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// The name of the file inside the folder.
    pub const FILE_NAME: &'static str = "license.json";

    /// A store in `dir` (created, owner-only on Unix, on the first save).
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore { dir: dir.into() }
    }

    /// The file holding the state.
    pub fn path(&self) -> PathBuf {
        self.dir.join(Self::FILE_NAME)
    }
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Io { message: format!("{}: {e}", path.display()) }
}

impl Store for FileStore {
    fn load(&self) -> Result<SavedState, StoreError> {
        let path = self.path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { message: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SavedState::default()),
            Err(e) => Err(io(&path, e)),
        }
    }

    fn save(&self, state: &SavedState) -> Result<(), StoreError> {
        create_private_dir(&self.dir).map_err(|e| io(&self.dir, e))?;
        let text = serde_json::to_string_pretty(state).map_err(|e| StoreError::Io { message: e.to_string() })?;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let temp = self.dir.join(format!(".{}.{}-{nanos}.tmp", Self::FILE_NAME, std::process::id()));
        let written = write_private(&temp, text.as_bytes()).and_then(|()| std::fs::rename(&temp, self.path()));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(&self.path(), e));
        }
        // The rename is durable once the folder's entry is on disk (a no-op where folders cannot be opened).
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        std::env::temp_dir().join(format!("maximus-store-{tag}-{}-{nanos}", std::process::id()))
    }

    #[test]
    fn a_file_store_saves_and_loads_the_whole_state_and_leaves_no_temp_file() {
        let dir = temp_dir("roundtrip").join("nested");
        let store = FileStore::new(&dir);
        assert_eq!(store.load().unwrap(), SavedState::default(), "nothing saved yet");
        let state = SavedState {
            key: Some("SR-BASE-x".into()),
            use_secs: 42,
            verdict: Some(Verdict { answer: ServerAnswer::Revoked, at: 7 }),
            unreachable_at: Some(9),
            ..SavedState::default()
        };
        store.save(&state).unwrap();
        store.save(&SavedState { use_secs: 43, ..state.clone() }).unwrap();
        assert_eq!(store.load().unwrap().use_secs, 43);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("license.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&store.path()), 0o600, "owner-only file");
            assert_eq!(mode(&dir), 0o700, "owner-only folder");
        }
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn an_older_or_damaged_file_loads_with_defaults_or_says_corrupt() {
        let dir = temp_dir("old");
        let store = FileStore::new(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(store.path(), r#"{"key":"SR-BASE-x"}"#).unwrap();
        assert_eq!(store.load().unwrap(), SavedState { key: Some("SR-BASE-x".into()), ..SavedState::default() });
        std::fs::write(store.path(), "{not json").unwrap();
        assert!(matches!(store.load(), Err(StoreError::Corrupt { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
