//! The demo's sample mail: a few registered letters in the Ministry of Mines' incoming
//! register, and a pile of two scans waiting as drafts, so the registers, the
//! directory and the "complete beside the scan" screen have something to show.

use anyhow::Context;
use ordo_db::DocumentRole;
use ordo_dispatch::flow::DispatchForm;
use ordo_domain::dispatch::{Purpose, Target};
use ordo_domain::{Login, RegistrationForm, TenantCode};
use ordo_registry::{
    documents::{UploadError, store_upload},
    registration::{self, Refused, Submission},
};
use ordo_web::{AppState, CurrentUser};

fn refused(what: &str, err: Refused) -> anyhow::Error {
    match err {
        Refused::Invalid(errors) => anyhow::anyhow!("{what}: refused {errors:?}"),
        Refused::Failed(err) => anyhow::anyhow!("{what}: {err}"),
    }
}

/// A one-page PDF showing `line`: what a scanned letter looks like to the viewer.
pub fn sample_pdf(line: &str) -> Vec<u8> {
    let text: String = line
        .chars()
        .map(|c| {
            if c.is_ascii() && c != '(' && c != ')' && c != '\\' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let content = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Registers the sample letters and leaves the sample drafts, as the MMG secretariat.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let platform = state.db.platform().await?;
    let tenant = platform
        .tenants()
        .find_by_code(&TenantCode::parse("MMG")?)
        .await?
        .context("the demo's MMG")?;
    platform.commit().await?;
    let tx = state.db.tenant_read(tenant.id).await?;
    let user = tx
        .users()
        .find_by_login(&Login::parse("secretariat")?)
        .await?
        .context("the demo's secretariat")?;
    let settings = tx.registration_settings().await?;
    let register = settings
        .registers
        .iter()
        .find(|r| r.code == "ARR")
        .cloned()
        .context("the demo's incoming register")?;
    tx.commit().await?;
    let current = CurrentUser { tenant, user };
    let letters = [
        (
            "Demande de renouvellement du permis d'exploitation",
            "Société minière de Boké",
            "request",
            "urgent",
        ),
        (
            "Rapport trimestriel de production",
            "Direction régionale des mines de Boké",
            "report",
            "normal",
        ),
        (
            "Facture de fournitures de bureau",
            "Papeterie du Kaloum",
            "invoice",
            "normal",
        ),
    ];
    let mut registered = Vec::new();
    for (subject, sender, nature, priority) in letters {
        let form = RegistrationForm {
            subject: subject.to_owned(),
            sender: sender.to_owned(),
            nature: nature.to_owned(),
            priority: priority.to_owned(),
            channel: "post".to_owned(),
            confidentiality: "normal".to_owned(),
            ..RegistrationForm::default()
        };
        let submission = Submission {
            form,
            ..Submission::default()
        };
        let done = registration::register_mail(
            state,
            &current,
            &settings,
            register.id,
            submission,
            "demo",
        )
        .await
        .map_err(|e| refused(subject, e))?;
        registered.push(done.item.id);
    }
    dispatch_samples(state, &current, &registered).await?;
    file_online_sample(state, &current.tenant, &register).await?;
    for (file, line) in [
        (
            "courrier-001.pdf",
            "Lettre de la Chambre des mines - scan de demonstration",
        ),
        (
            "courrier-002.pdf",
            "Plainte d'un riverain de Sangaredi - scan de demonstration",
        ),
    ] {
        let bytes = bytes::Bytes::from(sample_pdf(line));
        let document = store_upload(
            state.store.as_ref(),
            current.tenant.id,
            DocumentRole::Main,
            file,
            Some("application/pdf"),
            futures::stream::iter([Ok::<_, std::io::Error>(bytes)]),
            current.tenant.max_document_bytes,
        )
        .await
        .map_err(|e| match e {
            UploadError::Refused(invalid) => anyhow::anyhow!("{file}: {invalid}"),
            UploadError::Failed(err) => anyhow::anyhow!("{file}: {err}"),
        })?;
        let submission = Submission {
            documents: vec![document],
            ..Submission::default()
        };
        registration::create_draft(state, &current, register.id, submission, "demo")
            .await
            .map_err(|e| refused(file, e))?;
    }
    Ok(())
}

/// Sends the first letter to the Mines directorate (its head finds it in "to
/// dispatch"), and gives reports a dispatch template, so the second letter goes out
/// in one click.
async fn dispatch_samples(
    state: &AppState,
    current: &CurrentUser,
    registered: &[uuid::Uuid],
) -> anyhow::Result<()> {
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let units = tx.units().list().await?;
    let unit = |code: &str| {
        units
            .iter()
            .find(|u| u.code == code)
            .map(|u| u.id)
            .with_context(|| format!("the demo's {code}"))
    };
    let (dnm, dng, cab) = (unit("DNM")?, unit("DNG")?, unit("CAB")?);
    let line = |unit_id, purpose| ordo_db::TemplateLine {
        nature: "report".to_owned(),
        unit_id,
        purpose,
        instructions: String::new(),
    };
    tx.dispatches()
        .set_template(
            "report",
            &[line(dnm, Purpose::Action), line(dng, Purpose::Information)],
        )
        .await?;
    tx.commit().await?;
    let first = registered.first().context("a sample letter")?;
    let form = DispatchForm {
        action: Target::Unit(dnm).key(),
        information: vec![Target::Unit(cab).key()],
        instructions: "Instruire la demande et préparer la réponse.".to_owned(),
        ..DispatchForm::default()
    };
    ordo_dispatch::flow::dispatch(state, current, *first, &form, "demo")
        .await
        .map_err(|e| refused("dispatch", e))?;
    Ok(())
}

/// A letter filed on the public portal by a citizen, waiting among the drafts with
/// its filer's details, as the portal leaves it.
async fn file_online_sample(
    state: &AppState,
    tenant: &ordo_db::TenantRecord,
    register: &ordo_db::RegisterRecord,
) -> anyhow::Result<()> {
    let pdf = sample_pdf("Demande d'autorisation de recherche - deposee en ligne");
    let letter = store_upload(
        state.store.as_ref(),
        tenant.id,
        DocumentRole::Main,
        "demande-en-ligne.pdf",
        Some("application/pdf"),
        futures::stream::iter([Ok(bytes::Bytes::from(pdf))]),
        tenant.max_document_bytes,
    )
    .await
    .map_err(|e| match e {
        UploadError::Refused(refusal) => anyhow::anyhow!("sample filing: {refusal}"),
        UploadError::Failed(err) => anyhow::anyhow!("sample filing: {err}"),
    })?;
    let filing = ordo_domain::portal::FilingForm {
        filer_kind: "person".to_owned(),
        name: "Fatoumata Camara".to_owned(),
        email: "fatoumata.camara@exemple.gn".to_owned(),
        phone: "+224 620 12 34 56".to_owned(),
        address: "Quartier Almamya, Conakry".to_owned(),
        subject: "Demande d'autorisation de recherche artisanale".to_owned(),
        message: "Bonjour, veuillez trouver ci-joint ma demande d'autorisation.".to_owned(),
    }
    .validate()
    .map_err(|errors| anyhow::anyhow!("sample filing: {errors:?}"))?;
    let intake = ordo_portal::Intake {
        tenant,
        register,
        filing: &filing,
        key: "demo-sample-filing-0001",
        locale: ordo_domain::Locale::Fr,
        origin: "demo",
    };
    ordo_portal::commit_filing(state, intake, vec![letter])
        .await
        .map_err(|e| anyhow::anyhow!("sample filing: {e}"))?;
    Ok(())
}
