use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// What can go wrong in persistence, sorted by what a caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A uniqueness rule refused the write (a duplicate code or login, say).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored value no longer parses into its domain type: data written by a
    /// newer or buggy version.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
    /// The application is connected as a role that row-level security does not hold.
    #[error("unsafe database role: {0}")]
    UnsafeRole(String),
    /// A write would take the administration past a quota the operator set.
    #[error("quota exceeded: {0:?}")]
    QuotaExceeded(Quota),
    #[error(transparent)]
    Database(DbErr),
}

/// The quotas an operator sets on an administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// Bytes of documents kept.
    Storage { limit_bytes: u64 },
    /// People with an account.
    Users { limit: u32 },
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => Self::Conflict(detail),
            _ => Self::Database(err),
        }
    }
}

impl DbError {
    /// Whether PostgreSQL answered that a function the statement calls does not
    /// exist (SQLSTATE 42883): the schema is older than the code.
    pub fn is_undefined_function(&self) -> bool {
        let Self::Database(
            DbErr::Exec(RuntimeErr::SqlxError(err)) | DbErr::Query(RuntimeErr::SqlxError(err)),
        ) = self
        else {
            return false;
        };
        matches!(&**err, sea_orm::sqlx::Error::Database(db) if db.code().as_deref() == Some("42883"))
    }

    pub(crate) fn corrupt(table: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            table,
            detail: detail.to_string(),
        }
    }
}
