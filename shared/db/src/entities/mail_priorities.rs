use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_priorities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub processing_days: Option<i32>,
    pub position: i32,
}

impl ActiveModelBehavior for ActiveModel {}
