//! Seal signatures: a detached CMS (PKCS#7) `SignedData` over the exact bytes of an
//! envelope or a receipt, made with the administration's seal key (ECDSA P-256,
//! SHA-256) and carrying its certificate, so that `openssl cms -verify -binary
//! -content … -CAfile authority.pem` checks it as well as [`verify`] does.

use cms::{
    builder::{SignedDataBuilder, SignerInfoBuilder},
    cert::{CertificateChoices, IssuerAndSerialNumber},
    content_info::ContentInfo,
    signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier},
};
use der::{Decode, DecodePem, Encode, asn1::OctetString};
use p256::{
    ecdsa::{DerSignature, SigningKey, VerifyingKey, signature::Verifier},
    pkcs8::DecodePrivateKey,
};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, DecodePublicKey};
use x509_cert::Certificate;

/// Why a seal could not be used to sign.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the seal's certificate does not parse: {0}")]
    Certificate(String),
    #[error("the seal's key does not parse (an ECDSA P-256 key in PKCS#8 is expected): {0}")]
    Key(String),
    #[error("the signature could not be made: {0}")]
    Signing(String),
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature is not a detached CMS SignedData: {0}")]
    Malformed(String),
    #[error("the signature was not made by the expected seal")]
    UnknownSigner,
    #[error("the signed digest does not match the content")]
    DigestMismatch,
    #[error("the signature does not verify with the seal's key")]
    Invalid,
}

/// An administration's seal: its key and certificate.
#[derive(Clone)]
pub struct Seal {
    key: SigningKey,
    certificate: Certificate,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Seal")
            .field(
                "subject",
                &self.certificate.tbs_certificate.subject.to_string(),
            )
            .finish_non_exhaustive()
    }
}

impl Seal {
    pub fn from_pem(certificate_pem: &str, private_key_pem: &str) -> Result<Self, SealError> {
        let certificate = Certificate::from_pem(certificate_pem)
            .map_err(|e| SealError::Certificate(e.to_string()))?;
        let secret = p256::SecretKey::from_pkcs8_pem(private_key_pem)
            .map_err(|e| SealError::Key(e.to_string()))?;
        Ok(Self {
            key: SigningKey::from(secret),
            certificate,
        })
    }

    /// Signs `content`, which is not carried in the signature (detached).
    pub fn sign(&self, content: &[u8]) -> Result<Vec<u8>, SealError> {
        let digest = Sha256::digest(content);
        let encapsulated = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        };
        let signer_info = SignerInfoBuilder::new(
            &self.key,
            signer_of(&self.certificate),
            sha256_algorithm(),
            &encapsulated,
            Some(digest.as_slice()),
        )
        .map_err(failed)?;
        SignedDataBuilder::new(&encapsulated)
            .add_digest_algorithm(sha256_algorithm())
            .map_err(failed)?
            .add_certificate(CertificateChoices::Certificate(self.certificate.clone()))
            .map_err(failed)?
            .add_signer_info::<SigningKey, DerSignature>(signer_info)
            .map_err(failed)?
            .build()
            .map_err(failed)?
            .to_der()
            .map_err(failed)
    }

    pub fn certificate_pem(&self) -> Result<String, SealError> {
        use der::EncodePem;
        self.certificate
            .to_pem(der::pem::LineEnding::LF)
            .map_err(|e| SealError::Certificate(e.to_string()))
    }
}

fn failed(error: impl std::fmt::Display) -> SealError {
    SealError::Signing(error.to_string())
}

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ID_SHA_256,
        parameters: None,
    }
}

fn signer_of(certificate: &Certificate) -> SignerIdentifier {
    SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    })
}

/// Checks that `signature` is a detached CMS signature of `content` made with the
/// key certified by `trusted_certificate_pem`: the certificate the directory holds
/// for the administration that claims to have signed.
pub fn verify(
    content: &[u8],
    signature: &[u8],
    trusted_certificate_pem: &str,
) -> Result<(), SignatureError> {
    let malformed = |e: der::Error| SignatureError::Malformed(e.to_string());
    let trusted = Certificate::from_pem(trusted_certificate_pem).map_err(malformed)?;
    let info = ContentInfo::from_der(signature).map_err(malformed)?;
    if info.content_type != const_oid::db::rfc5911::ID_SIGNED_DATA {
        return Err(SignatureError::Malformed("not a SignedData".to_owned()));
    }
    let signed: SignedData = info.content.decode_as().map_err(malformed)?;
    if signed.encap_content_info.econtent.is_some() {
        return Err(SignatureError::Malformed(
            "the content is attached; a detached signature is expected".to_owned(),
        ));
    }
    let mut signers = signed.signer_infos.0.iter();
    let (Some(signer), None) = (signers.next(), signers.next()) else {
        return Err(SignatureError::Malformed(
            "exactly one signer is expected".to_owned(),
        ));
    };
    if signer.sid != signer_of(&trusted) {
        return Err(SignatureError::UnknownSigner);
    }
    if signer.digest_alg.oid != const_oid::db::rfc5912::ID_SHA_256 {
        return Err(SignatureError::Malformed("SHA-256 is expected".to_owned()));
    }
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| SignatureError::Malformed("no signed attributes".to_owned()))?;
    let signed_digest = attributes
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .ok_or_else(|| SignatureError::Malformed("no message digest".to_owned()))?
        .decode_as::<OctetString>()
        .map_err(malformed)?;
    if signed_digest.as_bytes() != Sha256::digest(content).as_slice() {
        return Err(SignatureError::DigestMismatch);
    }
    let key_der = trusted
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(malformed)?;
    let key = VerifyingKey::from_public_key_der(&key_der)
        .map_err(|e| SignatureError::Malformed(e.to_string()))?;
    let value = DerSignature::from_bytes(signer.signature.as_bytes())
        .map_err(|_| SignatureError::Invalid)?;
    // What is signed is the DER of the attributes as a SET (RFC 5652 §5.4).
    let message = attributes.to_der().map_err(malformed)?;
    key.verify(&message, &value)
        .map_err(|_| SignatureError::Invalid)
}

/// Checks that `pem` holds an X.509 certificate (one a directory entry may hold).
pub fn check_certificate(pem: &str) -> Result<(), SealError> {
    Certificate::from_pem(pem)
        .map(drop)
        .map_err(|e| SealError::Certificate(e.to_string()))
}

/// The lowercase hexadecimal SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DnType, KeyPair};

    fn make(name: &str) -> (Seal, String) {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, name);
        let certificate = params.self_signed(&key).expect("certificate");
        let pem = certificate.pem();
        (
            Seal::from_pem(&pem, &key.serialize_pem()).expect("seal"),
            pem,
        )
    }

    #[test]
    fn a_signature_verifies_with_its_certificate_only() {
        let (seal, certificate) = make("A");
        let (_, other) = make("B");
        let signature = seal.sign(b"{\"id\":1}").expect("signed");
        assert_eq!(verify(b"{\"id\":1}", &signature, &certificate), Ok(()));
        assert_eq!(
            verify(b"{\"id\":2}", &signature, &certificate),
            Err(SignatureError::DigestMismatch)
        );
        assert_eq!(
            verify(b"{\"id\":1}", &signature, &other),
            Err(SignatureError::UnknownSigner)
        );
        assert!(matches!(
            verify(b"{\"id\":1}", b"not der", &certificate),
            Err(SignatureError::Malformed(_))
        ));
    }

    #[test]
    fn a_flipped_signature_byte_is_caught() {
        let (seal, certificate) = make("A");
        let mut signature = seal.sign(b"content").expect("signed");
        let last = signature.len() - 3;
        signature[last] ^= 0x01;
        assert!(verify(b"content", &signature, &certificate).is_err());
    }
}
