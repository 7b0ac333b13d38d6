//! Keeps an open popup or options page in step with the config in force while it is open,
//! through `chrome.storage.onChanged`:
//! - sync changed (another browser saved, and Chrome Sync delivered some of its items): in sync
//!   mode the page reconciles ([`sync_store::reconcile_now`]; a set still arriving is left for
//!   its last item);
//! - the local config changed (a reconcile in this or another page took a config in, or a save
//!   in another tab): the page is told, with where the config came from, and shows it.

use std::cell::Cell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::storage::{self, ConfigOrigin, CONFIG_KEY, ORIGIN_KEY, REVISION_KEY};
use super::sync_store;
use crate::settings::StorageArea;
use crate::store::sync_chunks::CHUNK_PREFIX;

/// The config in force changed while the page was open.
pub struct ConfigChange {
    pub text: String,
    pub origin: ConfigOrigin,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Reconciling {
    Idle,
    Running,
    /// Sync changed again meanwhile: one more round when this one ends.
    RunningAgain,
}

thread_local! {
    static RECONCILING: Cell<Reconciling> = const { Cell::new(Reconciling::Idle) };
}

/// Reconciles now, or once more after the round running (a relay or Chrome Sync writes items
/// one by one: the changes come in bursts).
fn reconcile_soon() {
    let state = RECONCILING.with(Cell::get);
    if state != Reconciling::Idle {
        RECONCILING.with(|s| s.set(Reconciling::RunningAgain));
        return;
    }
    RECONCILING.with(|s| s.set(Reconciling::Running));
    wasm_bindgen_futures::spawn_local(async {
        loop {
            if let Err(err) = sync_store::reconcile_now().await {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "keeping the local config; sync is not readable: {err}"
                )));
            }
            if RECONCILING.with(Cell::get) == Reconciling::RunningAgain {
                RECONCILING.with(|s| s.set(Reconciling::Running));
                continue;
            }
            RECONCILING.with(|s| s.set(Reconciling::Idle));
            break;
        }
    });
}

fn changed_keys(changes: &JsValue) -> Vec<String> {
    changes
        .dyn_ref::<Object>()
        .map(|o| {
            Object::keys(o)
                .iter()
                .filter_map(|k| k.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Calls `on_change` whenever the config in force changes while the page is open, and
/// reconciles with sync when sync changes (in sync mode).
pub fn watch(on_change: impl Fn(ConfigChange) + 'static) -> Result<(), JsValue> {
    let on_change = std::rc::Rc::new(on_change);
    let listener =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
            let keys = changed_keys(&changes);
            match area.as_string().as_deref() {
                Some("sync")
                    if keys.iter().any(|k| k.starts_with(CHUNK_PREFIX))
                        && storage::load_settings().storage == StorageArea::Sync =>
                {
                    reconcile_soon();
                }
                Some("local") if keys.iter().any(|k| k == REVISION_KEY) => {
                    let on_change = on_change.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let Ok(stored) = storage::get("local", &[CONFIG_KEY, ORIGIN_KEY]).await
                        else {
                            return;
                        };
                        let text = storage::text_of(&storage::field(&stored, CONFIG_KEY));
                        on_change(ConfigChange {
                            text: text.unwrap_or_default(),
                            origin: ConfigOrigin::of_stored(&storage::field(&stored, ORIGIN_KEY)),
                        });
                    });
                }
                _ => {}
            }
        });
    let chrome = Reflect::get(&js_sys::global(), &"chrome".into())?;
    let on_changed = Reflect::get(
        &Reflect::get(&chrome, &"storage".into())?,
        &"onChanged".into(),
    )?;
    let add: Function = Reflect::get(&on_changed, &"addListener".into())?.dyn_into()?;
    add.call1(&on_changed, listener.as_ref())?;
    listener.forget();
    Ok(())
}
