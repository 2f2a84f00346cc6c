use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Option<Uuid>,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub roles: String,
    pub locale: String,
    pub failed_attempts: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub last_signed_in_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
