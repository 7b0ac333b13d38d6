//! Compressed config bytes ↔ `chrome.storage.sync` items, inside its quotas.
//!
//! `chrome.storage.sync` allows 8,192 bytes per item (key + JSON of the value), 102,400 bytes
//! in all and 512 items, and delivers items to other devices one by one. So the bytes are
//! base64-encoded into chunk items `cfg.0`, `cfg.1`, …, each value prefixed with its
//! generation (`"7:…"`), and a manifest item `cfg.manifest` naming the generation, the chunk
//! count, the byte length and a checksum is written *last*. A reader accepts a set only when
//! every chunk carries the manifest's generation and the joined bytes match its checksum;
//! otherwise ([`JoinError`]) it keeps the generation it already has.
//!
//! Pure: the browser glue (compression, `chrome.storage.sync` calls) is in `web/storage.rs`.

use serde::{Deserialize, Serialize};

/// `chrome.storage.sync.QUOTA_BYTES_PER_ITEM`.
pub const QUOTA_BYTES_PER_ITEM: usize = 8_192;
/// `chrome.storage.sync.QUOTA_BYTES`.
pub const QUOTA_BYTES: usize = 102_400;
/// `chrome.storage.sync.MAX_ITEMS`.
pub const MAX_ITEMS: usize = 512;
/// Bytes kept free for the manifest and for anything else the extension keeps in sync.
pub const RESERVED_BYTES: usize = 1_024;

pub const MANIFEST_KEY: &str = "cfg.manifest";
pub const CHUNK_PREFIX: &str = "cfg.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncManifest {
    pub generation: u64,
    pub chunks: usize,
    /// Length of the (compressed) bytes the chunks decode to.
    pub bytes: usize,
    /// FNV-1a 64 of those bytes, 16 hex digits.
    pub checksum: String,
    /// When the config was saved (milliseconds since the epoch): on two devices, newest wins.
    pub saved_at: f64,
}

/// The items to write: the chunks first, then the manifest, in separate writes.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncItems {
    pub chunks: Vec<(String, String)>,
    pub manifest: SyncManifest,
    /// What the whole set costs against `QUOTA_BYTES`, keys and JSON quotes included.
    pub quota_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooBig {
    pub needed: usize,
    pub available: usize,
}

impl std::fmt::Display for TooBig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the compressed config needs {} bytes of sync storage, but only {} are available",
            self.needed, self.available
        )
    }
}

/// Why a set of sync items was not accepted; the reader keeps its previous generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    NoManifest,
    BadManifest(String),
    MissingChunk(usize),
    /// A chunk of another generation: the set is being written or is still arriving.
    StaleChunk {
        index: usize,
        found: String,
    },
    BadChunk(usize),
    Checksum,
}

impl std::fmt::Display for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JoinError::NoManifest => write!(f, "nothing synced yet"),
            JoinError::BadManifest(e) => write!(f, "the sync manifest is unreadable: {}", e),
            JoinError::MissingChunk(i) => write!(f, "sync chunk {} has not arrived", i),
            JoinError::StaleChunk { index, found } => write!(
                f,
                "sync chunk {} is from generation {}: the set is incomplete",
                index, found
            ),
            JoinError::BadChunk(i) => write!(f, "sync chunk {} is corrupt", i),
            JoinError::Checksum => write!(f, "the synced bytes do not match their checksum"),
        }
    }
}

pub fn chunk_key(index: usize) -> String {
    format!("{}{}", CHUNK_PREFIX, index)
}

/// What `chrome.storage.sync` charges for one item: key length + the value's JSON length.
pub fn item_cost(key: &str, json_value: &str) -> usize {
    key.len() + json_value.len()
}

/// Splits `bytes` into chunk items within the quotas, or says how far over they are.
pub fn split(bytes: &[u8], generation: u64, saved_at: f64) -> Result<SyncItems, TooBig> {
    let encoded = base64_encode(bytes);
    let prefix = format!("{}:", generation);
    // Room for base64 in one item: the key, the generation prefix and the two JSON quotes
    // come off the per-item quota; a multiple of 4 keeps every chunk whole base64.
    let key_room = chunk_key(MAX_ITEMS).len();
    let per_chunk = (QUOTA_BYTES_PER_ITEM - key_room - prefix.len() - 2) / 4 * 4;
    let mut chunks = Vec::new();
    let mut quota_bytes = 0;
    for (index, piece) in encoded.as_bytes().chunks(per_chunk).enumerate() {
        let key = chunk_key(index);
        let value = format!(
            "{}{}",
            prefix,
            std::str::from_utf8(piece).expect("base64 is ASCII")
        );
        quota_bytes += item_cost(&key, &value) + 2;
        chunks.push((key, value));
    }
    let manifest = SyncManifest {
        generation,
        chunks: chunks.len(),
        bytes: bytes.len(),
        checksum: checksum(bytes),
        saved_at,
    };
    let manifest_json = serde_json::to_string(&manifest).expect("a manifest serialises");
    quota_bytes += item_cost(MANIFEST_KEY, &manifest_json);
    let available = QUOTA_BYTES - RESERVED_BYTES;
    if quota_bytes > available || chunks.len() + 1 > MAX_ITEMS {
        return Err(TooBig {
            needed: quota_bytes,
            available,
        });
    }
    Ok(SyncItems {
        chunks,
        manifest,
        quota_bytes,
    })
}

pub fn parse_manifest(json: &str) -> Result<SyncManifest, JoinError> {
    serde_json::from_str(json).map_err(|e| JoinError::BadManifest(e.to_string()))
}

/// Joins the chunks `manifest` names, read through `chunk(index)`, back into the bytes.
pub fn join(
    manifest: &SyncManifest,
    chunk: impl Fn(usize) -> Option<String>,
) -> Result<Vec<u8>, JoinError> {
    let prefix = format!("{}:", manifest.generation);
    let mut encoded = String::new();
    for index in 0..manifest.chunks {
        let value = chunk(index).ok_or(JoinError::MissingChunk(index))?;
        let Some(body) = value.strip_prefix(&prefix) else {
            return Err(JoinError::StaleChunk {
                index,
                found: value
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(20)
                    .collect(),
            });
        };
        encoded.push_str(body);
    }
    let bytes = base64_decode(&encoded).ok_or(JoinError::BadChunk(0))?;
    if bytes.len() != manifest.bytes || checksum(&bytes) != manifest.checksum {
        return Err(JoinError::Checksum);
    }
    Ok(bytes)
}

/// FNV-1a 64: catches a torn or mixed set; not a defence against tampering (sync is the
/// user's own account).
pub fn checksum(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:016x}", hash)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = (group[0] as u32) << 16
            | (*group.get(1).unwrap_or(&0) as u32) << 8
            | *group.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for group in text.chunks(4) {
        let pad = group.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &group[..4 - pad] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn bytes(n: usize) -> Vec<u8> {
        // Incompressible-looking: a simple LCG.
        let mut x: u32 = 12345;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect()
    }

    fn store(items: &SyncItems) -> HashMap<String, String> {
        items.chunks.iter().cloned().collect()
    }

    #[test]
    fn base64_round_trips() {
        for n in 0..40 {
            let b = bytes(n);
            assert_eq!(base64_decode(&base64_encode(&b)).unwrap(), b);
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_encode(b"M"), "TQ==");
        assert_eq!(base64_decode("TQ=x"), None);
    }

    #[test]
    fn round_trips_byte_for_byte_within_item_quota() {
        for n in [0, 1, 6_000, 6_141, 6_142, 40_000, 70_000] {
            let data = bytes(n);
            let items = split(&data, 3, 1.0).unwrap();
            for (key, value) in &items.chunks {
                assert!(
                    item_cost(key, value) + 2 <= QUOTA_BYTES_PER_ITEM,
                    "{} is over",
                    key
                );
            }
            assert!(items.quota_bytes <= QUOTA_BYTES - RESERVED_BYTES);
            let map = store(&items);
            let back = join(&items.manifest, |i| map.get(&chunk_key(i)).cloned()).unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn too_big_says_how_big() {
        let err = split(&bytes(80_000), 1, 1.0).unwrap_err();
        assert!(err.needed > err.available, "{:?}", err);
        assert_eq!(err.available, QUOTA_BYTES - RESERVED_BYTES);
        assert!(err.to_string().contains("bytes of sync storage"));
    }

    #[test]
    fn a_half_written_set_is_rejected() {
        let old = split(&bytes(30_000), 1, 1.0).unwrap();
        let new = split(&bytes(31_000), 2, 2.0).unwrap();
        // The writer got through chunk 0 of the new generation, then stopped.
        let mut map = store(&old);
        map.insert(new.chunks[0].0.clone(), new.chunks[0].1.clone());
        // Old manifest + a new chunk: rejected.
        assert!(matches!(
            join(&old.manifest, |i| map.get(&chunk_key(i)).cloned()),
            Err(JoinError::StaleChunk { index: 0, .. })
        ));
        // A new manifest that arrived before its chunks: rejected.
        let map_old = store(&old);
        assert!(matches!(
            join(&new.manifest, |i| map_old.get(&chunk_key(i)).cloned()),
            Err(JoinError::StaleChunk { .. })
        ));
        // Missing chunks are named.
        assert_eq!(
            join(&new.manifest, |i| (i == 0).then(|| new.chunks[0].1.clone())),
            Err(JoinError::MissingChunk(1))
        );
    }

    #[test]
    fn a_corrupt_chunk_fails_the_checksum() {
        let items = split(&bytes(9_000), 5, 1.0).unwrap();
        let mut map = store(&items);
        let v = map.get_mut("cfg.0").unwrap();
        let flipped = if v.ends_with('A') { 'B' } else { 'A' };
        v.pop();
        v.push(flipped);
        let err = join(&items.manifest, |i| map.get(&chunk_key(i)).cloned()).unwrap_err();
        assert!(matches!(err, JoinError::Checksum | JoinError::BadChunk(_)));
    }

    #[test]
    fn manifest_round_trips_as_json() {
        let items = split(b"hello", 9, 1_700_000_000_000.0).unwrap();
        let json = serde_json::to_string(&items.manifest).unwrap();
        assert_eq!(parse_manifest(&json).unwrap(), items.manifest);
        assert!(parse_manifest("{").is_err());
    }
}
