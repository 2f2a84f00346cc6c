use ordo_mail::{EmlDirectory, Mailer, Message, SmtpMailer};
use ordo_tests::required_env;

fn message(token: &str) -> Message {
    Message::builder()
        .from(
            "Ordo <ne-pas-repondre@tests.ordo.invalid>"
                .parse()
                .expect("from"),
        )
        .to("Awa Diallo <awa.diallo@example.org>".parse().expect("to"))
        .subject("Accusé de réception — إشعار بالاستلام")
        // The token first: quoted-printable may wrap a long line, never its start.
        .body(format!("{token}\nVotre courrier est enregistré."))
        .expect("message")
}

/// The demo reaches no outside service: its e-mails are files a person can open.
#[tokio::test]
async fn demo_mail_is_written_as_eml_files() {
    let dir = tempfile::tempdir().expect("dir");
    let mailer = EmlDirectory::new(dir.path().join("mail")).expect("directory");
    mailer.send(message("token-eml")).await.expect("written");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let text = std::fs::read_to_string(&files[0]).expect("read");
    assert!(
        text.contains("To: \"Awa Diallo\" <awa.diallo@example.org>"),
        "{text}"
    );
    assert!(text.contains("token-eml"));
}

/// `ordo serve` sends through a real SMTP server; the message arrives whole.
#[tokio::test]
async fn smtp_mail_reaches_the_real_server() {
    let mailer = SmtpMailer::from_url(&required_env("ORDO_TEST_SMTP_URL").into()).expect("URL");
    assert!(mailer.test_connection().await.expect("connect"));
    let token = format!("token-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    mailer.send(message(&token)).await.expect("sent");
    let maildir = std::path::PathBuf::from(required_env("ORDO_TEST_MAILDIR")).join("new");
    let delivered = std::fs::read_dir(&maildir)
        .expect("maildir")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .find(|text| text.contains(&token))
        .expect("the message is in the server's maildir");
    assert!(delivered.contains("awa.diallo@example.org"));
    assert!(
        delivered.contains("Subject: =?utf-8?"),
        "a non-ASCII subject is encoded: {delivered}"
    );
}

#[test]
fn a_bad_smtp_url_is_named() {
    let error = SmtpMailer::from_url(&"ftp://mail.example".to_owned().into()).expect_err("refused");
    assert!(error.to_string().contains("mail.smtp_url"), "{error}");
}
