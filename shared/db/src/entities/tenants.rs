use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub time_zone: String,
    pub status: String,
    pub max_document_bytes: i64,
    pub weekend: String,
    pub remind_before_days: i32,
    pub escalate_after_days: i32,
    pub created_at: DateTimeUtc,
    pub level: String,
    pub parent_code: Option<String>,
    pub languages: String,
    pub quota_storage_bytes: Option<i64>,
    pub quota_users: Option<i32>,
}

impl ActiveModelBehavior for ActiveModel {}
