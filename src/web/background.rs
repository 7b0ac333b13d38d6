//! The background service worker's one job: answer the switch-role content script
//! (`extension/content/switchrole.js`) whether to press "Switch Role" on AWS's prefilled form.
//!
//! Yes only when the popup has just opened a switch for exactly the account and role the form
//! shows (a one-time offer in `chrome.storage.session`, keyed by account and role, see
//! `switch.rs`), the offer has not lapsed, and the asker is the top frame of AWS's switch-role
//! page. The offer is used up by the first question.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::browser;
use crate::console::session::{form_offer_key, is_switch_role_page};

fn string(value: &JsValue, key: &str) -> String {
    Reflect::get(value, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// `chrome.runtime.onMessage` handler: `{kind: "switchFormShown", account, roleName}` from a
/// content script → `{press: bool}`.
#[wasm_bindgen(js_name = onSwitchFormShown)]
pub async fn on_switch_form_shown(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let answer = Object::new();
    Reflect::set(&answer, &"press".into(), &JsValue::FALSE)?;
    if string(&message, "kind") != "switchFormShown" {
        return Ok(answer.into());
    }
    // Only the top frame of AWS's switch-role page may ask.
    let top_frame = Reflect::get(&sender, &"frameId".into())?.as_f64() == Some(0.0);
    if !top_frame || !is_switch_role_page(&string(&sender, "url")) {
        return Ok(answer.into());
    }
    let key = form_offer_key(&string(&message, "account"), &string(&message, "roleName"));
    let offer = browser::session_take(&key).await?;
    if offer.is_undefined() || offer.is_null() {
        return Ok(answer.into());
    }
    let expires = Reflect::get(&offer, &"expires".into())?
        .as_f64()
        .unwrap_or(0.0);
    let press = js_sys::Date::now() <= expires;
    Reflect::set(&answer, &"press".into(), &JsValue::from_bool(press))?;
    Ok(answer.into())
}
