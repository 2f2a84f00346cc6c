use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch_templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub nature: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub purpose: String,
    pub instructions: String,
}

impl ActiveModelBehavior for ActiveModel {}
