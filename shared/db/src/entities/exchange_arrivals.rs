use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_arrivals")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sender: String,
    pub envelope_id: Uuid,
    pub sha256: String,
    pub envelope: Vec<u8>,
    pub signature: Vec<u8>,
    pub item_id: Uuid,
    pub status: String,
    pub received_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
