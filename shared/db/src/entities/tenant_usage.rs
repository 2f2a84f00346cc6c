use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_usage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub measured_at: DateTimeUtc,
    pub storage_bytes: i64,
    pub documents: i64,
    pub users: i64,
    pub active_users: i64,
    pub items_this_month: i64,
}

impl ActiveModelBehavior for ActiveModel {}
