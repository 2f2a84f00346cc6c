//! `ordo migrate up|down|status`.

use ordo_db::Database;
use ordo_migrations::{Migrator, MigratorTrait};

/// Applies every pending migration.
pub async fn up(db: &Database) -> anyhow::Result<()> {
    Migrator::up(db.connection(), None).await?;
    Ok(())
}

/// Reverts the last `steps` migrations (all of them with `None`).
pub async fn down(db: &Database, steps: Option<u32>) -> anyhow::Result<()> {
    Migrator::down(db.connection(), steps).await?;
    Ok(())
}

/// Each migration with whether it is applied.
pub async fn status(db: &Database) -> anyhow::Result<Vec<(String, bool)>> {
    let applied: Vec<String> = Migrator::get_applied_migrations(db.connection())
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Ok(Migrator::migrations()
        .iter()
        .map(|m| {
            let name = m.name().to_owned();
            let is_applied = applied.contains(&name);
            (name, is_applied)
        })
        .collect())
}
