//! Local-account passwords: argon2id with the crate's recommended parameters, stored
//! as PHC strings so parameters can be raised later without invalidating old hashes.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::{InvalidInput, Reason};

/// The shortest password accepted for a local account.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes a new password after checking its length.
pub fn hash_password(password: &str) -> Result<String, InvalidInput> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(InvalidInput::new(
            "password",
            Reason::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| InvalidInput::new("password", Reason::BadCharacters))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Spends the time of one verification without a real account, so that an unknown
/// login takes as long to refuse as a wrong password and logins cannot be probed.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get_or_init(|| hash_password("not-a-real-account-password").ok()) {
        let _ = verify_password(password, hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery").expect("long enough");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            hash_password("short").map(drop),
            Err(InvalidInput::new("password", Reason::TooShort { min: 10 }))
        );
    }
}
