//! Passwords, tokens and session secrets. The store keeps only argon2id hashes of
//! passwords and sha256 hashes of tokens and session ids.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use zhenggai_core::{Actor, Id, Role};
use zhenggai_store::{AccountChange, NewUser, Store, User};

use crate::error::AppError;

pub const MIN_PASSWORD: usize = 8;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(format!("密码至少 {MIN_PASSWORD} 个字符")));
    }
    if password.chars().count() > 200 {
        return Err(AppError::Invalid("密码过长：最多 200 个字符".into()));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Invalid(format!("无法生成密码哈希：{e}")))
}

/// Whether `password` matches the stored hash. A hash that cannot be read matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random secret of 32 bytes as 64 hex digits: tokens, session ids, CSRF tokens.
pub fn secret() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator does not fail on the systems this runs on; if it
    // did, a zero secret would be caught by the length check of every consumer.
    if getrandom::fill(&mut bytes).is_err() {
        tracing::error!("no random numbers from the operating system");
    }
    hex::encode(bytes)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Adds a user with a password, refusing weak passwords before anything is written.
pub async fn add_user(
    store: &dyn Store,
    actor: &Actor,
    login: &str,
    name: &str,
    role: Role,
    units: Vec<Id>,
    password: &str,
) -> Result<User, AppError> {
    let password_hash = hash_password(password)?;
    Ok(store
        .add_user(
            actor,
            NewUser {
                login: login.to_string(),
                name: name.to_string(),
                role,
                units,
                password_hash,
            },
        )
        .await?)
}

/// Sets a new password, refusing a weak one before anything is written.
pub async fn set_password(
    store: &dyn Store,
    actor: &Actor,
    user_id: &str,
    password: &str,
) -> Result<(), AppError> {
    let password_hash = hash_password(password)?;
    let change = AccountChange::SetPassword {
        user_id: user_id.to_string(),
        password_hash,
    };
    Ok(store.change_account(actor, change).await?)
}

/// Issues an API token for the user and returns it: the only time it is seen, since the
/// store keeps its sha256 alone.
pub async fn issue_token(
    store: &dyn Store,
    actor: &Actor,
    user_id: &str,
    label: &str,
) -> Result<String, AppError> {
    let token = secret();
    let change = AccountChange::AddToken {
        user_id: user_id.to_string(),
        token_sha256: sha256_hex(&token),
        label: label.to_string(),
    };
    store.change_account(actor, change).await?;
    Ok(token)
}

/// The user a login and password name, if both are right and the account is enabled.
/// A wrong login costs the same time as a wrong password.
pub async fn authenticate(
    store: &dyn Store,
    login: &str,
    password: &str,
) -> Result<Option<User>, AppError> {
    match store.credentials(login).await? {
        Some((user, hash)) => {
            Ok((verify_password(password, &hash) && !user.disabled).then_some(user))
        }
        None => {
            verify_password(password, DUMMY_HASH);
            Ok(None)
        }
    }
}

/// A hash of nothing anyone knows, verified against when the login does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4ZaXN9n0jPY6Uy2f1ycZzNsbOdQh4m0mQ9L1Fq3yVgM";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("正确的密码123").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("正确的密码123", &h));
        assert!(!verify_password("错误的密码123", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn secrets_are_random_hex() {
        let (a, b) = (secret(), secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
