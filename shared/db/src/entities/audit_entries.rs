use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sequence: i64,
    pub at: DateTimeUtc,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub details: String,
    pub origin: String,
    pub previous_hash: String,
    pub hash: String,
}

impl ActiveModelBehavior for ActiveModel {}
