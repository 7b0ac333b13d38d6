//! The config's mirror in `chrome.storage.sync`: reading what sync holds (whole, half
//! delivered, or nothing), writing a config into it within its quotas, and performing what
//! [`crate::store::sync_decision::decide`] says when a browser turns sync on, reads, or saves.
//!
//! Every step that reads one side and writes the other runs under one Web Lock
//! ([`exclusive`]), so that the popup, the options page and a save in this browser never take
//! in or push the same change twice, nor a save's own half-written set.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::browser;
use super::storage::{
    call, commit_local, error_text, field, get, gunzip, gzip, load_local, load_versions, now, set,
    ConfigOrigin, LocalState, SYNC_GENERATION_KEY,
};
use crate::store::config_versions::VersionKind;
use crate::store::sync_chunks::{self, SyncManifest, CHUNK_PREFIX, MANIFEST_KEY};
use crate::store::sync_decision::{decide, LocalSide, Occasion, SyncSide, SyncStep};

/// The Web Lock every reconciling step holds (shared by all pages of the extension).
const LOCK_NAME: &str = "aws-role-switcher.config";

type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// Runs `work` holding the Web Lock [`LOCK_NAME`] (`navigator.locks`, Chrome 69+, Firefox 96+);
/// without the API, runs it as is.
pub async fn exclusive<T: 'static>(work: impl Future<Output = T> + 'static) -> T {
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let job: Rc<RefCell<Option<LocalFuture>>> = {
        let result = result.clone();
        Rc::new(RefCell::new(Some(Box::pin(async move {
            let value = work.await;
            *result.borrow_mut() = Some(value);
        }))))
    };
    let locks = Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|navigator| Reflect::get(&navigator, &"locks".into()))
        .ok()
        .filter(|locks| locks.is_object());
    if let Some(locks) = locks {
        let granted = {
            let job = job.clone();
            Closure::once_into_js(move |_lock: JsValue| -> JsValue {
                let work = job.borrow_mut().take();
                wasm_bindgen_futures::future_to_promise(async move {
                    if let Some(work) = work {
                        work.await;
                    }
                    Ok(JsValue::UNDEFINED)
                })
                .into()
            })
        };
        let request = Reflect::get(&locks, &"request".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|request| request.call2(&locks, &LOCK_NAME.into(), &granted).ok())
            .and_then(|p| p.dyn_into::<Promise>().ok());
        if let Some(request) = request {
            let _ = JsFuture::from(request).await;
        }
    }
    // No lock API, or the request failed before running the work: run it here.
    let work = job.borrow_mut().take();
    if let Some(work) = work {
        work.await;
    }
    let value = result.borrow_mut().take();
    value.expect("the work ran")
}

// ------------------------------------------------------------------ reading sync

/// What `chrome.storage.sync` holds (see [`SyncSide`]).
pub enum SyncSnapshot {
    Empty,
    /// Config items that are not a whole set, with why.
    Partial(String),
    Whole {
        manifest: SyncManifest,
        text: String,
    },
}

impl SyncSnapshot {
    pub fn side(&self) -> SyncSide<'_> {
        match self {
            SyncSnapshot::Empty => SyncSide::Empty,
            SyncSnapshot::Partial(_) => SyncSide::Partial,
            SyncSnapshot::Whole { manifest, text } => SyncSide::Whole {
                generation: manifest.generation,
                saved_at: manifest.saved_at,
                text,
            },
        }
    }
}

/// Reads every config item of sync (at most 100 KB): a whole set, a set still arriving (the
/// manifest before its chunks, or chunks before their manifest), or nothing.
pub async fn read_sync() -> Result<SyncSnapshot, String> {
    let stored = call("sync", "get", &JsValue::NULL)
        .await
        .map_err(|e| error_text(&e))?;
    let Some(manifest_json) = field(&stored, MANIFEST_KEY).as_string() else {
        let keys = Object::keys(stored.unchecked_ref::<Object>());
        let any_chunk = keys
            .iter()
            .any(|k| k.as_string().is_some_and(|k| k.starts_with(CHUNK_PREFIX)));
        return Ok(if any_chunk {
            SyncSnapshot::Partial("chunks without their manifest".to_string())
        } else {
            SyncSnapshot::Empty
        });
    };
    let manifest = match sync_chunks::parse_manifest(&manifest_json) {
        Ok(manifest) => manifest,
        Err(err) => return Ok(SyncSnapshot::Partial(err.to_string())),
    };
    let bytes = match sync_chunks::join(&manifest, |i| {
        field(&stored, &sync_chunks::chunk_key(i)).as_string()
    }) {
        Ok(bytes) => bytes,
        Err(err) => return Ok(SyncSnapshot::Partial(err.to_string())),
    };
    let text = gunzip(&bytes).await.map_err(|e| error_text(&e))?;
    let text = String::from_utf8(text).map_err(|e| e.to_string())?;
    Ok(SyncSnapshot::Whole { manifest, text })
}

async fn read_manifest() -> Option<SyncManifest> {
    let stored = get("sync", &[MANIFEST_KEY]).await.ok()?;
    sync_chunks::parse_manifest(&field(&stored, MANIFEST_KEY).as_string()?).ok()
}

// ------------------------------------------------------------------ writing sync

/// Compresses and writes `text` to sync: stale chunks out, chunks in, manifest last. Refused
/// before any write, with its size, when it does not fit. Returns the generation and the bytes
/// it uses.
pub async fn write_sync(text: &str, saved_at: f64) -> Result<(u64, usize), String> {
    let compressed = gzip(text.as_bytes()).await.map_err(|e| error_text(&e))?;
    let old = read_manifest().await;
    let generation = (saved_at as u64).max(old.as_ref().map_or(0, |m| m.generation + 1));
    let items = sync_chunks::split(&compressed, generation, saved_at).map_err(|too_big| {
        browser::message_with(
            "syncTooBig",
            "too big to sync: the compressed config needs {needed} bytes of sync storage, but only {available} are available (the config is {bytes} bytes, {compressed} compressed); it stays as it was here and on your other browsers. Choose \"In this browser only\" to keep a larger config",
            &[
                ("needed", &too_big.needed.to_string()),
                ("available", &too_big.available.to_string()),
                ("bytes", &text.len().to_string()),
                ("compressed", &compressed.len().to_string()),
            ],
        )
    })?;
    if let Some(old) = &old {
        let stale: js_sys::Array = (items.chunks.len()..old.chunks)
            .map(|i| JsValue::from_str(&sync_chunks::chunk_key(i)))
            .collect();
        if stale.length() > 0 {
            call("sync", "remove", &stale)
                .await
                .map_err(|e| error_text(&e))?;
        }
    }
    let chunk_pairs: Vec<(&str, JsValue)> = items
        .chunks
        .iter()
        .map(|(k, v)| (k.as_str(), JsValue::from_str(v)))
        .collect();
    set("sync", &chunk_pairs)
        .await
        .map_err(|e| format!("sync refused the config: {}", error_text(&e)))?;
    let manifest_json = serde_json::to_string(&items.manifest).map_err(|e| e.to_string())?;
    set("sync", &[(MANIFEST_KEY, JsValue::from_str(&manifest_json))])
        .await
        .map_err(|e| format!("sync refused the config: {}", error_text(&e)))?;
    Ok((generation, items.quota_bytes))
}

/// Takes a save back out of sync (its local write failed): `previous` goes back, or, when
/// there was none, the manifest goes, so no other browser takes in the save.
pub async fn take_back(previous: &str, saved_at: f64) -> Result<(), String> {
    if previous.trim().is_empty() {
        call("sync", "remove", &JsValue::from_str(MANIFEST_KEY))
            .await
            .map(|_| ())
            .map_err(|e| error_text(&e))
    } else {
        write_sync(previous, saved_at).await.map(|_| ())
    }
}

async fn note_generation(generation: Option<u64>) -> Result<(), String> {
    match generation {
        Some(generation) => set(
            "local",
            &[(SYNC_GENERATION_KEY, JsValue::from_f64(generation as f64))],
        )
        .await
        .map_err(|e| error_text(&e)),
        None => call("local", "remove", &JsValue::from_str(SYNC_GENERATION_KEY))
            .await
            .map(|_| ())
            .map_err(|e| error_text(&e)),
    }
}

/// Bytes in use in `chrome.storage.sync`.
pub async fn sync_bytes_in_use() -> Result<usize, String> {
    call("sync", "getBytesInUse", &JsValue::NULL)
        .await
        .map(|v| v.as_f64().unwrap_or(0.0) as usize)
        .map_err(|e| error_text(&e))
}

// ------------------------------------------------------------------ performing the decision

fn local_side(local: &LocalState) -> LocalSide<'_> {
    LocalSide {
        text: local.text.as_deref().unwrap_or_default(),
        saved_at: local.saved_at,
        sync_generation: local.sync_generation,
    }
}

/// A synced config taken in: it is in force now.
pub struct Adopted {
    pub text: String,
    /// The kind of version the replaced config became, when there was one.
    pub kept_as: Option<VersionKind>,
}

/// Takes `manifest`'s `text` in as the config in force; the local one becomes a version of
/// kind `keep_local_as`.
async fn adopt(
    local: &LocalState,
    manifest: &SyncManifest,
    text: String,
    keep_local_as: Option<VersionKind>,
) -> Result<Adopted, String> {
    let mut versions = load_versions().await;
    if let Some(kind) = keep_local_as {
        versions.record(local.text.as_deref().unwrap_or_default(), kind, now());
    }
    commit_local(
        &text,
        Some(&versions),
        manifest.saved_at,
        Some(manifest.generation),
        ConfigOrigin::OtherBrowser,
    )
    .await?;
    Ok(Adopted {
        text,
        kept_as: keep_local_as,
    })
}

/// In sync mode, brings `local` and sync together ([`Occasion::Read`]): takes in a newer
/// synced config, pushes a newer local one, waits for a set still arriving. Call it under
/// [`exclusive`]. Returns the config taken in, if any.
pub async fn reconcile(local: &LocalState) -> Result<Option<Adopted>, String> {
    let snapshot = read_sync().await?;
    let step = decide(Occasion::Read, local_side(local), snapshot.side());
    match (step, snapshot) {
        (SyncStep::NoteGeneration, SyncSnapshot::Whole { manifest, .. }) => {
            note_generation(Some(manifest.generation)).await?;
            Ok(None)
        }
        (SyncStep::Adopt { keep_local_as }, SyncSnapshot::Whole { manifest, text }) => {
            adopt(local, &manifest, text, keep_local_as).await.map(Some)
        }
        (SyncStep::Push, _) => {
            let text = local.text.as_deref().unwrap_or_default();
            let (generation, _) = write_sync(text, local.saved_at.max(1.0)).await?;
            note_generation(Some(generation)).await?;
            Ok(None)
        }
        (_, SyncSnapshot::Partial(why)) => {
            web_sys::console::info_1(&JsValue::from_str(&format!(
                "sync holds no whole config yet ({why}): keeping this one"
            )));
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// In sync mode, reads both sides under the lock and reconciles them (a page calls it when
/// `storage.onChanged` says sync changed).
pub async fn reconcile_now() -> Result<Option<Adopted>, String> {
    exclusive(async {
        let local = load_local().await.map_err(|e| error_text(&e))?;
        reconcile(&local).await
    })
    .await
}

/// What turning sync on did.
pub enum TurnedOn {
    /// This browser's config went to sync (`bytes` of its quota).
    Pushed { bytes: usize },
    /// Sync held the same config.
    AlreadyThere,
    /// Sync held another config: this browser uses it now.
    Adopted(Adopted),
    /// Sync holds nothing yet, or half a set: what arrives will be adopted.
    Awaiting,
}

/// *Synced across my browsers* chosen: adopts what sync holds, or pushes this browser's config
/// when sync holds none; never pushes an empty config ([`Occasion::TurnOn`]). On error (too
/// big), nothing was written.
pub async fn turn_on() -> Result<TurnedOn, String> {
    exclusive(async {
        let local = load_local().await.map_err(|e| error_text(&e))?;
        let snapshot = read_sync().await?;
        let step = decide(Occasion::TurnOn, local_side(&local), snapshot.side());
        match (step, snapshot) {
            (SyncStep::Push, _) => {
                let text = local.text.as_deref().unwrap_or_default();
                let saved_at = if local.saved_at > 0.0 {
                    local.saved_at
                } else {
                    now()
                };
                let (generation, bytes) = write_sync(text, saved_at).await?;
                note_generation(Some(generation)).await?;
                Ok(TurnedOn::Pushed { bytes })
            }
            (SyncStep::NoteGeneration, SyncSnapshot::Whole { manifest, .. }) => {
                note_generation(Some(manifest.generation)).await?;
                Ok(TurnedOn::AlreadyThere)
            }
            (SyncStep::Adopt { keep_local_as }, SyncSnapshot::Whole { manifest, text }) => Ok(
                TurnedOn::Adopted(adopt(&local, &manifest, text, keep_local_as).await?),
            ),
            _ => {
                note_generation(None).await?;
                Ok(TurnedOn::Awaiting)
            }
        }
    })
    .await
}

/// Whether a save of `text` in sync mode goes to sync ([`Occasion::Save`]): `Ok(false)` for an
/// empty config with nothing synced, an error for an empty config over a synced one.
pub async fn save_goes_to_sync(text: &str, local: &LocalState) -> Result<bool, String> {
    let side = LocalSide {
        text,
        saved_at: now(),
        sync_generation: local.sync_generation,
    };
    // Only an empty text needs to know what sync holds.
    let snapshot = if text.trim().is_empty() {
        read_sync().await?
    } else {
        SyncSnapshot::Empty
    };
    match decide(Occasion::Save, side, snapshot.side()) {
        SyncStep::Push => Ok(true),
        SyncStep::RefuseEmpty => Err(browser::message(
            "saveEmptyRefused",
            "an empty configuration would replace the one synced to your other browsers; to stop using it here, choose \"In this browser only\" first",
        )),
        _ => Ok(false),
    }
}
