//! The user's settings, shared by the options page (which edits them) and the popup (which
//! reads them). Stored as JSON under [`SETTINGS_KEY`] in the extension pages' `localStorage`:
//! `{"hide_account_ids": bool, "theme": "auto"|"light"|"dark", "only_signed_in_base": bool}`.
//!
//! Every field has a default, so a missing field, a missing key or an unknown theme name
//! reads as the default rather than failing: settings written by an older or newer version
//! still load.

use serde::{Deserialize, Deserializer, Serialize};

/// The `gloo-storage` (`localStorage`) key of the settings.
pub const SETTINGS_KEY: &str = "aws-role-switcher.settings";

/// The colour theme of the extension's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the system (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// The value of `<html data-theme>`, or `None` to follow the system.
    pub fn data_theme(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

impl<'de> Deserialize<'de> for Theme {
    /// An unknown name is `Auto`: one odd value must not discard the other settings.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Option::<String>::deserialize(deserializer)?;
        Ok(match name.as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::Auto,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Show account aliases and role names but not the 12-digit IDs (for screen sharing).
    pub hide_account_ids: bool,
    pub theme: Theme,
    /// On a console page, list only the targets of the signed-in base account (with a
    /// "Show all" toggle in the popup), as AWS Extend Switch Roles does.
    pub only_signed_in_base: bool,
    /// Where the config lives: this browser only, or also synced across the user's browsers.
    pub storage: StorageArea,
}

/// `"local"` (the default) or `"sync"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageArea {
    #[default]
    Local,
    Sync,
}

impl Settings {
    /// Reads stored settings; anything unreadable is an error the caller reports and
    /// replaces with the defaults.
    pub fn from_json(text: &str) -> Result<Settings, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_defaults() {
        assert_eq!(Settings::from_json("{}").unwrap(), Settings::default());
        let s = Settings::from_json(r#"{"hide_account_ids": true}"#).unwrap();
        assert!(s.hide_account_ids);
        assert_eq!(s.theme, Theme::Auto);
        assert!(!s.only_signed_in_base);
    }

    #[test]
    fn themes_round_trip_and_unknown_names_are_auto() {
        for theme in [Theme::Auto, Theme::Light, Theme::Dark] {
            let s = Settings {
                theme,
                ..Settings::default()
            };
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(Settings::from_json(&json).unwrap(), s);
        }
        let s =
            Settings::from_json(r#"{"theme": "solarized", "only_signed_in_base": true}"#).unwrap();
        assert_eq!(s.theme, Theme::Auto);
        assert!(s.only_signed_in_base);
        assert_eq!(
            Settings::from_json(r#"{"theme": null}"#).unwrap().theme,
            Theme::Auto
        );
        assert_eq!(Theme::Dark.data_theme(), Some("dark"));
    }

    #[test]
    fn the_stored_shape_is_the_agreed_contract() {
        let json = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"hide_account_ids": false, "theme": "auto", "only_signed_in_base": false, "storage": "local"})
        );
    }

    #[test]
    fn garbage_is_an_error_for_the_caller_to_report() {
        assert!(Settings::from_json("not json").is_err());
        assert!(Settings::from_json("[1,2]").is_err());
    }
}
