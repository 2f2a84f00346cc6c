use sea_orm::entity::prelude::*;

/// A share of an administration's stored bytes; its rows add up to the total
/// (migration 21: kept by a trigger on `documents`).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_storage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub shard: i16,
    pub bytes: i64,
}

impl ActiveModelBehavior for ActiveModel {}
