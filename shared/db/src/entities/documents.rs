use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub role: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub object_key: String,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
