use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatches")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub purpose: String,
    pub unit_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub instructions: String,
    pub due_on: Option<Date>,
    pub status: String,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub dispatched_by: Uuid,
    pub dispatched_at: DateTimeUtc,
    pub updated_by: Uuid,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
