use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    pub confirm_email: bool,
    pub ack_wording: String,
    pub ack_signature: String,
    pub logo: Option<Vec<u8>>,
    pub logo_type: Option<String>,
    pub updated_at: DateTimeUtc,
    pub brand_colour: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
