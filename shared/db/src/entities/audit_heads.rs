use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_heads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub last_sequence: i64,
    pub last_hash: String,
    /// The hash `last_hash` replaced: the previous hash of the last entry.
    pub previous_hash: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
