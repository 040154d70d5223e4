//! Words for the user, in French and English. Every decision, block reason and error has a stable
//! [`Message::code`] (an i18next key such as `block.clock_rollback`) and numeric parameters; the same
//! table is available as i18next JSON ([`catalog_json`], and `i18n/{fr,en}.json`, checked by a test).

use crate::key::KeyError;
use crate::lease::LeaseError;
use crate::machine::MachineIdError;
use crate::policy::BlockReason;
use crate::protocol::{ApiError, ProblemCode};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A language of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Both, French first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// `fr`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// Something to tell the user: a catalog key and its parameters (e.g. `days_left`, `machines`,
/// `retry_after_minutes`), for `t(code, params)` in the web view or [`Message::text`] in Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The catalog key, stable across versions.
    pub code: String,
    /// The values its text interpolates.
    pub params: BTreeMap<String, u64>,
}

impl Message {
    fn new(code: &str) -> Message {
        Message { code: code.to_owned(), params: BTreeMap::new() }
    }

    fn with(mut self, name: &str, value: u64) -> Message {
        self.params.insert(name.to_owned(), value);
        self
    }

    /// The text in `lang`, parameters filled in (i18next's `{{name}}` syntax).
    pub fn text(&self, lang: Lang) -> String {
        let template = CATALOG
            .iter()
            .find(|e| e.0 == self.code)
            .map_or("", |e| if lang == Lang::Fr { e.2 } else { e.3 });
        let mut text = template.to_owned();
        for (name, value) in &self.params {
            text = text.replace(&format!("{{{{{name}}}}}"), &value.to_string());
        }
        text
    }
}

/// Anything the app may have to explain to the user.
pub trait Describe {
    /// What to tell the user.
    fn message(&self) -> Message;
}

/// (code, parameters, French, English). The codes are part of the crate's API: add, never rename.
pub(crate) const CATALOG: &[(&str, &[&str], &str, &str)] = &[
    ("allow.active", &["days_left"],
        "Licence active. Jours restants sans connexion : {{days_left}}.",
        "License active. Days left without a connection: {{days_left}}."),
    ("allow.offline", &["days_left"],
        "Hors ligne : la licence reste active. Jours restants avant de devoir vous connecter : {{days_left}}.",
        "Offline: the license stays active. Days left before you must connect: {{days_left}}."),
    ("block.revoked", &[],
        "Cette licence a été révoquée (remboursement ou décision du support). Contactez le support si c'est une erreur.",
        "This license was revoked (a refund or a support decision). Contact support if this is a mistake."),
    ("block.suspended", &[],
        "Cette licence est suspendue le temps qu'un litige de paiement soit réglé.",
        "This license is suspended while a payment dispute is open."),
    ("block.license_expired", &[],
        "Cette licence a expiré. Renouvelez votre abonnement pour continuer.",
        "This license has expired. Renew your subscription to continue."),
    ("block.invalid_key", &[],
        "Cette clé de licence n'est pas valide. Saisissez-la de nouveau.",
        "This license key is not valid. Enter it again."),
    ("block.not_activated", &[],
        "Cet ordinateur n'est pas activé. Saisissez votre clé de licence pour l'activer.",
        "This computer is not activated. Enter your license key to activate it."),
    ("block.machine_limit", &[],
        "Tous les postes de cette licence sont pris. Libérez un autre ordinateur depuis votre compte.",
        "Every seat of this license is taken. Free another computer from your account."),
    ("block.no_lease", &[],
        "Connectez-vous à Internet une fois pour vérifier la licence.",
        "Connect to the Internet once to check the license."),
    ("block.offline_too_long", &[],
        "Hors ligne depuis trop longtemps : connectez-vous à Internet pour continuer.",
        "Offline for too long: connect to the Internet to continue."),
    ("block.clock_rollback", &[],
        "L'horloge de cet ordinateur a été reculée. Remettez-la à l'heure ou connectez-vous à Internet.",
        "This computer's clock was turned back. Set it right or connect to the Internet."),
    ("block.invalid_proof", &[],
        "Cette licence est activée avec la clé d'une autre installation. Saisissez votre clé de licence pour activer cet ordinateur.",
        "This license is activated with another install's key. Enter your license key to activate this computer."),
    ("error.unreachable", &[],
        "Le service de licences est injoignable. Vérifiez votre connexion à Internet.",
        "The license service cannot be reached. Check your Internet connection."),
    ("error.retry_later", &["retry_after_minutes"],
        "Trop de demandes. Réessayez dans {{retry_after_minutes}} min.",
        "Too many requests. Try again in {{retry_after_minutes}} min."),
    ("error.activation_limit_reached", &["machines"],
        "Cette licence est déjà active sur {{machines}} ordinateurs, le maximum. Libérez-en un depuis votre compte.",
        "This license is already active on {{machines}} computers, the most it allows. Free one from your account."),
    ("error.deactivation_limit_reached", &["retry_after_minutes"],
        "Trop de changements d'ordinateur ces derniers temps. Réessayez dans {{retry_after_minutes}} min.",
        "Too many computer changes lately. Try again in {{retry_after_minutes}} min."),
    ("error.invalid_license", &[],
        "Cette clé de licence n'est pas reconnue.",
        "This license key is not recognised."),
    ("error.invalid_proof", &[],
        "Cet ordinateur n'a pas pu prouver qu'il détient son poste. Vérifiez l'heure de l'ordinateur, puis réessayez.",
        "This computer could not prove that it holds its seat. Check the computer's clock, then try again."),
    ("error.lease_wrong_key", &[],
        "Le service a répondu pour la clé d'une autre installation. Réessayez ; si cela continue, contactez le support.",
        "The service answered for another install's key. Try again; if it goes on, contact support."),
    ("error.key_format", &[],
        "Ce texte n'est pas une clé de licence.",
        "This text is not a license key."),
    ("error.key_wrong_product", &[],
        "Cette clé de licence est celle d'une autre application.",
        "This license key is for another application."),
    ("error.key_invalid", &[],
        "Cette clé de licence n'est pas authentique.",
        "This license key is not genuine."),
    ("error.invalid_token", &[],
        "Votre session a expiré. Reconnectez-vous.",
        "Your session has expired. Sign in again."),
    ("error.no_subscription", &[],
        "Aucun abonnement sur ce compte.",
        "There is no subscription on this account."),
    ("error.not_ready", &[],
        "Votre achat est en cours de traitement. Réessayez dans un instant.",
        "Your purchase is still being processed. Try again in a moment."),
    ("error.not_found", &[],
        "Introuvable dans votre compte.",
        "Not found in your account."),
    ("error.conflict", &[],
        "Vous avez déjà un abonnement pour cette application.",
        "You already have a subscription for this application."),
    ("error.invalid_request", &[],
        "La demande n'est pas valide.",
        "The request is not valid."),
    ("error.server", &[],
        "Le service de licences a un problème. Réessayez plus tard.",
        "The license service has a problem. Try again later."),
    ("error.storage", &[],
        "Impossible d'enregistrer l'état de la licence sur cet ordinateur.",
        "The license state cannot be saved on this computer."),
    ("error.machine_id", &[],
        "Impossible d'identifier cet ordinateur.",
        "This computer cannot be identified."),
];

/// The catalog of `lang` as i18next JSON (keys nested at each `.`: `{"block":{"revoked":"…"}}`).
pub fn catalog_json(lang: Lang) -> Value {
    let mut root = Map::new();
    for (code, _, fr, en) in CATALOG {
        let text = if lang == Lang::Fr { fr } else { en };
        let mut node = &mut root;
        let mut parts = code.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                node.insert(part.to_owned(), Value::String((*text).to_owned()));
            } else {
                node = node
                    .entry(part.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("a catalog key is never both a text and a group");
            }
        }
    }
    Value::Object(root)
}

fn minutes(secs: Option<u64>) -> u64 {
    secs.map_or(1, |s| ((s + 59) / 60).max(1))
}

impl Describe for BlockReason {
    fn message(&self) -> Message {
        Message::new(&format!("block.{}", self.code()))
    }
}

impl Describe for ApiError {
    fn message(&self) -> Message {
        let (code, retry_after, limit) = match self {
            ApiError::Transport { .. } => return Message::new("error.unreachable"),
            ApiError::Unexpected { .. } => return Message::new("error.server"),
            ApiError::Problem { code, retry_after, limit, .. } => (code, *retry_after, *limit),
        };
        match code {
            ProblemCode::RateLimited => Message::new("error.retry_later").with("retry_after_minutes", minutes(retry_after)),
            ProblemCode::DeactivationLimitReached => {
                Message::new("error.deactivation_limit_reached").with("retry_after_minutes", minutes(retry_after))
            }
            ProblemCode::ActivationLimitReached => Message::new("error.activation_limit_reached").with("machines", limit.unwrap_or(0)),
            ProblemCode::InvalidLicense => Message::new("error.invalid_license"),
            ProblemCode::InvalidProof => Message::new("error.invalid_proof"),
            ProblemCode::LicenseRevoked => BlockReason::Revoked.message(),
            ProblemCode::LicenseSuspended => BlockReason::Suspended.message(),
            ProblemCode::LicenseExpired => BlockReason::LicenseExpired.message(),
            ProblemCode::InvalidToken => Message::new("error.invalid_token"),
            ProblemCode::NoSubscription => Message::new("error.no_subscription"),
            ProblemCode::NotReady => Message::new("error.not_ready"),
            ProblemCode::NotFound => Message::new("error.not_found"),
            ProblemCode::Conflict => Message::new("error.conflict"),
            ProblemCode::MalformedJson
            | ProblemCode::ValidationFailed
            | ProblemCode::PayloadTooLarge
            | ProblemCode::UnsupportedMediaType
            | ProblemCode::MethodNotAllowed => Message::new("error.invalid_request"),
            ProblemCode::Unavailable | ProblemCode::BadGateway if retry_after.is_some() => {
                Message::new("error.retry_later").with("retry_after_minutes", minutes(retry_after))
            }
            _ => Message::new("error.server"),
        }
    }
}

impl Describe for KeyError {
    fn message(&self) -> Message {
        match self {
            KeyError::Format => Message::new("error.key_format"),
            KeyError::WrongProduct(_) => Message::new("error.key_wrong_product"),
            KeyError::Expired(_) => BlockReason::LicenseExpired.message(),
            KeyError::Token(_) | KeyError::TierMismatch => Message::new("error.key_invalid"),
        }
    }
}

impl Describe for LeaseError {
    fn message(&self) -> Message {
        if *self == LeaseError::WrongKey {
            return Message::new("error.lease_wrong_key");
        }
        // A lease the server just sent that does not verify: the service (or something between) is wrong.
        Message::new("error.server")
    }
}

impl Describe for StoreError {
    fn message(&self) -> Message {
        Message::new("error.storage")
    }
}

impl Describe for MachineIdError {
    fn message(&self) -> Message {
        Message::new("error.machine_id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_both_languages_and_exactly_its_parameters() {
        let mut seen = HashSet::new();
        for (code, params, fr, en) in CATALOG {
            assert!(seen.insert(*code), "{code} twice");
            for text in [fr, en] {
                assert!(!text.is_empty(), "{code}");
                let mut found: Vec<&str> = text.split("{{").skip(1).map(|s| s.split("}}").next().unwrap()).collect();
                found.sort_unstable();
                let mut expected = params.to_vec();
                expected.sort_unstable();
                assert_eq!(found, expected, "{code}: {text}");
            }
        }
    }

    #[test]
    fn every_block_reason_and_problem_code_has_words() {
        let known: HashSet<&str> = CATALOG.iter().map(|e| e.0).collect();
        for reason in BlockReason::ALL {
            assert!(known.contains(reason.message().code.as_str()), "{reason:?}");
        }
        for code in ProblemCode::known().chain([ProblemCode::Other("new".into())]) {
            let error = ApiError::Problem { status: 400, code: code.clone(), detail: String::new(), retry_after: None, limit: None };
            assert!(known.contains(error.message().code.as_str()), "{code:?}");
        }
        for error in [ApiError::Transport { message: "x".into() }, ApiError::Unexpected { status: 200, message: "x".into() }] {
            assert!(known.contains(error.message().code.as_str()), "{error:?}");
        }
    }

    #[test]
    fn parameters_fill_the_text_in_both_languages() {
        let limited = ApiError::Problem {
            status: 409,
            code: ProblemCode::ActivationLimitReached,
            detail: String::new(),
            retry_after: None,
            limit: Some(3),
        };
        let m = limited.message();
        assert_eq!(m.code, "error.activation_limit_reached");
        assert!(m.text(Lang::Fr).contains("sur 3 ordinateurs"), "{}", m.text(Lang::Fr));
        assert!(m.text(Lang::En).contains("on 3 computers"), "{}", m.text(Lang::En));
        let later = ApiError::Problem {
            status: 429,
            code: ProblemCode::RateLimited,
            detail: String::new(),
            retry_after: Some(61),
            limit: None,
        };
        assert_eq!(later.message().text(Lang::En), "Too many requests. Try again in 2 min.");
        assert_eq!(serde_json::to_string(&later.message()).unwrap(), r#"{"code":"error.retry_later","params":{"retry_after_minutes":2}}"#);
    }

    /// `i18n/fr.json` and `i18n/en.json` are the catalog, byte for byte; `MAXIMUS_WRITE_I18N=1 cargo test`
    /// rewrites them after a change to [`CATALOG`].
    #[test]
    fn the_i18next_files_are_the_catalog() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
        for lang in Lang::ALL {
            let path = dir.join(format!("{}.json", lang.code()));
            let expected = format!("{}\n", serde_json::to_string_pretty(&catalog_json(lang)).unwrap());
            if std::env::var_os("MAXIMUS_WRITE_I18N").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &expected).unwrap();
            }
            let found = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(found == expected, "{} is not the catalog: run `MAXIMUS_WRITE_I18N=1 cargo test`", path.display());
        }
    }
}
