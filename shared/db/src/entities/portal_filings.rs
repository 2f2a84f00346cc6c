use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_filings")]
pub struct Model {
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub tracking_code: String,
    pub submission_key: String,
    pub filer_kind: String,
    pub filer_name: String,
    pub filer_email: String,
    pub filer_phone: String,
    pub filer_address: String,
    pub message: String,
    pub language: String,
    pub client_address: String,
    pub filed_at: DateTimeUtc,
    pub rejected_at: Option<DateTimeUtc>,
    pub rejection_reason: Option<String>,
    pub reply_item_id: Option<Uuid>,
    pub reply_published_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmation_hash: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
