use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_recipients")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub envelope_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation: String,
    pub unit: Option<String>,
    pub status: String,
    pub detail: Option<String>,
    pub their_number: Option<String>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
