//! Seals. The platform has a certificate authority; each administration gets, at
//! its creation, a key of its own and a certificate from that authority naming it.
//! Its envelopes, receipts and exports are signed with that key, so another
//! administration (or `openssl cms -verify -CAfile authority.pem`) can check them.

use chrono::Datelike;
use ordo_db::KeyMaterial;
use ordo_domain::{LocalizedName, TenantCode};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    SerialNumber, date_time_ymd,
};

/// How long the authority's certificate lasts, and a seal's, in years.
const AUTHORITY_YEARS: i32 = 20;
const SEAL_YEARS: i32 = 5;

/// The authority's name and usages. A seal is issued against these same
/// parameters, so the authority's certificate need not be parsed back.
fn authority_params() -> Result<CertificateParams, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, "Ordo — autorité de la plateforme");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Ordo");
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    Ok(params)
}

fn random_serial() -> SerialNumber {
    // Positive (high bit clear) and 16 bytes, as RFC 5280 asks.
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f;
    SerialNumber::from(bytes.to_vec())
}

/// Makes the platform's authority: a new key and its self-signed certificate.
pub fn make_authority(now: chrono::DateTime<chrono::Utc>) -> Result<KeyMaterial, rcgen::Error> {
    let key = KeyPair::generate()?;
    let mut params = authority_params()?;
    params.serial_number = Some(random_serial());
    params.not_before = date_time_ymd(now.year(), 1, 1);
    params.not_after = date_time_ymd(now.year() + AUTHORITY_YEARS, 1, 1);
    let certificate = params.self_signed(&key)?;
    Ok(KeyMaterial {
        certificate_pem: certificate.pem(),
        private_key_pem: key.serialize_pem(),
    })
}

/// Makes an administration's seal: a new key, and a certificate from the
/// platform's authority naming the administration.
pub fn make_seal(
    authority: &KeyMaterial,
    code: &TenantCode,
    name: &LocalizedName,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<KeyMaterial, rcgen::Error> {
    let authority_key = KeyPair::from_pem(&authority.private_key_pem)?;
    let issuer = Issuer::new(authority_params()?, authority_key);
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, format!("{} — cachet", name.fr));
    params
        .distinguished_name
        .push(DnType::OrganizationName, name.fr.clone());
    params
        .distinguished_name
        .push(DnType::OrganizationalUnitName, code.as_str());
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(random_serial());
    let today = now.date_naive();
    let month = u8::try_from(today.month()).unwrap_or(1);
    let day = u8::try_from(today.day()).unwrap_or(1).min(28);
    params.not_before = date_time_ymd(today.year(), month, day);
    params.not_after = date_time_ymd(today.year() + SEAL_YEARS, month, day);
    let certificate = params.signed_by(&key, &issuer)?;
    Ok(KeyMaterial {
        certificate_pem: certificate.pem(),
        private_key_pem: key.serialize_pem(),
    })
}

/// Makes the platform's certificate for the exchange between platforms: a new key
/// and a certificate from the authority for `host` (a name or an IP address), good
/// as a TLS server and as a TLS client (mutual TLS).
pub fn make_platform_certificate(
    authority: &KeyMaterial,
    host: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<KeyMaterial, rcgen::Error> {
    let authority_key = KeyPair::from_pem(&authority.private_key_pem)?;
    let issuer = Issuer::new(authority_params()?, authority_key);
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(vec![host.to_owned()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, format!("Ordo — échange ({host})"));
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Ordo");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(random_serial());
    let today = now.date_naive();
    let month = u8::try_from(today.month()).unwrap_or(1);
    let day = u8::try_from(today.day()).unwrap_or(1).min(28);
    params.not_before = date_time_ymd(today.year() - 1, month, day);
    params.not_after = date_time_ymd(today.year() + SEAL_YEARS, month, day);
    let certificate = params.signed_by(&key, &issuer)?;
    Ok(KeyMaterial {
        certificate_pem: certificate.pem(),
        private_key_pem: key.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_is_certified_by_the_authority() {
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 21, 10, 0, 0)
            .single()
            .expect("a time");
        let authority = make_authority(now).expect("authority");
        let code = TenantCode::parse("MMG").expect("code");
        let name = LocalizedName::parse("Ministère des Mines", "", "").expect("name");
        let seal = make_seal(&authority, &code, &name, now).expect("seal");
        assert!(
            seal.certificate_pem
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        assert!(seal.private_key_pem.contains("PRIVATE KEY"));
        assert_ne!(seal.certificate_pem, authority.certificate_pem);
        // Two seals never share a key.
        let other = make_seal(&authority, &code, &name, now).expect("seal");
        assert_ne!(seal.private_key_pem, other.private_key_pem);
    }
}
