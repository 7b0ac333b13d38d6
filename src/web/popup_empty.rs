//! The popup with no roles at all (a new user's first popup): a sentence saying what to do
//! and a button, "Import your ~/.aws/config…", that opens the options page. Enter in the
//! search box does the same while there is nothing to list.
//!
//! Shown at once when nothing can be listed: no config of the user's and no copy of an
//! organisation's. Chrome answers `chrome.storage.managed` up to seconds after it starts
//! (1.8-1.9 s here), and the popup waits for that answer only when the answer could hide a
//! user config (a lock); with no user config there is nothing to hide, so the empty state is
//! drawn first and gives way to the organisation's roles if the answer brings some.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Document;

use super::{browser, storage};
use crate::settings::StorageArea;

/// Shows or hides the empty state; false on a page without it (the tests' skeleton).
pub fn show(document: &Document, empty: bool) -> Result<bool, JsValue> {
    let Some(block) = document.get_element_by_id("empty-state") else {
        return Ok(false);
    };
    if empty == block.has_attribute("hidden") {
        if empty {
            block.remove_attribute("hidden")?;
        } else {
            block.set_attribute("hidden", "")?;
        }
    }
    Ok(true)
}

/// The button opens the options page.
pub fn wire(document: &Document) -> Result<(), JsValue> {
    let Some(button) = document.get_element_by_id("open-options") else {
        return Ok(());
    };
    let on_click = Closure::<dyn FnMut()>::new(open_options);
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(())
}

/// Opens the options page (where the config is imported) and closes the popup.
pub fn open_options() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(err) = browser::open_options_page().await {
            web_sys::console::error_1(&err);
            return;
        }
        if let Some(window) = web_sys::window() {
            let _ = window.close();
        }
    });
}

/// Whether the popup can say at once that there is nothing to list: the user has no config
/// (`local`: the bootstrap's read of `chrome.storage.local`), it is not kept in sync storage
/// (which may bring one), and no copy of an organisation's config is kept (`stored`: the
/// first-screen keys as read).
pub async fn nothing_to_list(stored: &JsValue, local: Option<&Promise>) -> bool {
    let field = |object: &JsValue, key: &str| Reflect::get(object, &key.into()).ok();
    let has_copy = field(stored, storage::LAST_MANAGED_KEY).is_some_and(|c| c.is_object());
    if has_copy || storage::load_settings().storage == StorageArea::Sync {
        return false;
    }
    let Some(local) = local else {
        return false;
    };
    let Ok(read) = JsFuture::from(local.clone()).await else {
        return false;
    };
    // `null` when the bootstrap did not read it (a first-screen cache is there).
    read.is_object()
        && field(&read, storage::CONFIG_KEY)
            .and_then(|c| c.as_string().or_else(|| c.is_undefined().then(String::new)))
            .is_some_and(|text| text.trim().is_empty())
}
