use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_items")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub register_id: Uuid,
    pub status: String,
    pub year: Option<i32>,
    pub sequence: Option<i64>,
    pub number: Option<String>,
    pub subject: String,
    pub nature: String,
    pub channel: String,
    pub priority: String,
    pub confidentiality: String,
    pub sender: String,
    pub recipient: String,
    pub letter_date: Option<Date>,
    pub received_at: DateTimeUtc,
    pub registered_at: Option<DateTimeUtc>,
    pub registered_by: Option<Uuid>,
    pub keywords: String,
    pub paper_location: String,
    pub cancel_reason: Option<String>,
    pub submission_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub sender_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<Uuid>,
}

impl ActiveModelBehavior for ActiveModel {}
