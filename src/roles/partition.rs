//! AWS partitions: which sign-in and console hosts serve a role, and which regions belong where.
//!
//! Region patterns come from botocore's `partitions.json`. Only `aws`, `aws-cn` and
//! `aws-us-gov` have a console switch-role page; the isolated partitions are recognised so that
//! their roles can be listed with a reason instead of being dropped.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Partition {
    #[serde(rename = "aws")]
    Aws,
    #[serde(rename = "aws-cn")]
    AwsCn,
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
    #[serde(rename = "aws-iso")]
    AwsIso,
    #[serde(rename = "aws-iso-b")]
    AwsIsoB,
    #[serde(rename = "aws-iso-e")]
    AwsIsoE,
    #[serde(rename = "aws-iso-f")]
    AwsIsoF,
    #[serde(rename = "aws-eusc")]
    AwsEusc,
}

impl Partition {
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    pub fn from_id(id: &str) -> Option<Partition> {
        Partition::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The host of the console's switch-role page, or `None` where the partition has none.
    pub fn sign_in_host(self) -> Option<&'static str> {
        match self {
            Partition::Aws => Some("signin.aws.amazon.com"),
            Partition::AwsCn => Some("signin.amazonaws.cn"),
            Partition::AwsUsGov => Some("signin.amazonaws-us-gov.com"),
            _ => None,
        }
    }

    /// The console's domain: regional consoles live at `<region>.<console_domain>`.
    pub fn console_domain(self) -> Option<&'static str> {
        match self {
            Partition::Aws => Some("console.aws.amazon.com"),
            Partition::AwsCn => Some("console.amazonaws.cn"),
            Partition::AwsUsGov => Some("console.amazonaws-us-gov.com"),
            _ => None,
        }
    }

    /// The partition whose region pattern `region` matches, if any.
    pub fn of_region(region: &str) -> Option<Partition> {
        // At most four parts match a pattern; no allocation for the split.
        let mut parts = [""; 4];
        let mut count = 0;
        for part in region.split('-') {
            if count == parts.len() {
                return None;
            }
            parts[count] = part;
            count += 1;
        }
        let parts = &parts[..count];
        let word =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match parts {
            ["cn", w, d] if word(w) && digits(d) => Some(Partition::AwsCn),
            ["us", "gov", w, d] if word(w) && digits(d) => Some(Partition::AwsUsGov),
            ["us", "iso", w, d] if word(w) && digits(d) => Some(Partition::AwsIso),
            ["us", "isob", w, d] if word(w) && digits(d) => Some(Partition::AwsIsoB),
            ["eu", "isoe", w, d] if word(w) && digits(d) => Some(Partition::AwsIsoE),
            ["us", "isof", w, d] if word(w) && digits(d) => Some(Partition::AwsIsoF),
            ["eusc", "de", w, d] if word(w) && digits(d) => Some(Partition::AwsEusc),
            [prefix, w, d]
                if matches!(
                    *prefix,
                    "us" | "eu" | "ap" | "sa" | "ca" | "me" | "af" | "il" | "mx"
                ) && word(w)
                    && digits(d) =>
            {
                Some(Partition::Aws)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_their_partition() {
        assert_eq!(Partition::of_region("eu-west-1"), Some(Partition::Aws));
        assert_eq!(Partition::of_region("cn-north-1"), Some(Partition::AwsCn));
        assert_eq!(
            Partition::of_region("us-gov-west-1"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(
            Partition::of_region("us-iso-east-1"),
            Some(Partition::AwsIso)
        );
        assert_eq!(Partition::of_region("mars-north-1"), None);
        assert_eq!(Partition::of_region("eu-west"), None);
    }

    #[test]
    fn only_three_partitions_have_a_sign_in_host() {
        let with_host: Vec<_> = Partition::ALL
            .into_iter()
            .filter(|p| p.sign_in_host().is_some())
            .collect();
        assert_eq!(
            with_host,
            [Partition::Aws, Partition::AwsCn, Partition::AwsUsGov]
        );
    }
}
