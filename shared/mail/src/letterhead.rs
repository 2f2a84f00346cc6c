//! An administration's e-mail as its reader sees it: the plain text as written
//! (every client shows it), and beside it the same words laid out in HTML under a
//! band of the administration's colour with its logo and name, in the reader's
//! direction. The HTML is built from the text alone, escaped, with its web
//! addresses made links: nothing else goes into it.

use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};

/// Who the e-mail comes from, and how they look.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// The administration's name in the e-mail's language.
    pub name: String,
    /// `#rrggbb`, checked for contrast with white when the administration chose it.
    pub colour: String,
    /// The logo's bytes and media type (PNG or JPEG), sent inline.
    pub logo: Option<(Vec<u8>, String)>,
    /// BCP 47 tag of the e-mail's language.
    pub language: String,
    pub right_to_left: bool,
}

/// How the HTML part names its inline logo.
const LOGO_ID: &str = "logo@ordo";

const FONT: &str = "'DejaVu Sans',Arial,Helvetica,sans-serif";

impl Letterhead {
    /// The text and its HTML layout as one `multipart/alternative` part.
    pub fn body(&self, subject: &str, text: &str) -> MultiPart {
        let html = SinglePart::html(self.html(subject, text));
        let both = MultiPart::alternative().singlepart(SinglePart::plain(text.to_owned()));
        // The logo travels beside the HTML that shows it (`multipart/related`).
        let logo = self.logo.as_ref().and_then(|(content, media_type)| {
            let kind = ContentType::parse(media_type).ok()?;
            Some(Attachment::new_inline(LOGO_ID.to_owned()).body(content.clone(), kind))
        });
        match logo {
            Some(logo) => both.multipart(MultiPart::related().singlepart(html).singlepart(logo)),
            None => both.singlepart(html),
        }
    }

    /// The HTML document: a centred column, tables and inline styles, which is
    /// what mail clients render alike.
    pub fn html(&self, subject: &str, text: &str) -> String {
        let (dir, start) = if self.right_to_left {
            ("rtl", "right")
        } else {
            ("ltr", "left")
        };
        let colour = escape(&self.colour);
        let logo = if self.logo.is_some() {
            format!(
                "<img src=\"cid:{LOGO_ID}\" alt=\"\" height=\"40\" style=\"height:40px;border:0;vertical-align:middle;margin:0 12px\">"
            )
        } else {
            String::new()
        };
        let paragraphs: String = text
            .replace("\r\n", "\n")
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let lines: Vec<String> = p.lines().map(|line| linkify(line, &colour)).collect();
                format!(
                    "<p style=\"margin:0 0 14px\">{}</p>\n",
                    lines.join("<br>\n")
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\n\
<body style=\"margin:0;padding:0;background:#f5f7f9\">\n\
<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse\"><tr><td align=\"center\" style=\"padding:16px 8px\">\n\
<table role=\"presentation\" width=\"100%\" cellspacing=\"0\" cellpadding=\"0\" style=\"max-width:600px;border-collapse:collapse;background:#ffffff\">\n\
<tr><td dir=\"{dir}\" style=\"background:{colour};color:#ffffff;padding:16px 20px;font-family:{FONT};font-size:18px;font-weight:bold;text-align:{start}\">{logo}{name}</td></tr>\n\
<tr><td dir=\"{dir}\" style=\"padding:24px 20px;font-family:{FONT};font-size:15px;line-height:1.5;color:#1b1f24;text-align:{start}\">\n{paragraphs}</td></tr>\n\
</table></td></tr></table>\n</body></html>\n",
            lang = escape(&self.language),
            title = escape(subject),
            name = escape(&self.name),
        )
    }
}

/// A line of text, escaped, its `http(s)://` addresses made links.
fn linkify(line: &str, colour: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("https://") || word.starts_with("http://") {
            // Punctuation after an address belongs to the sentence.
            let address = word.trim_end_matches(['.', ',', ';', ')', '»']);
            let rest = &word[address.len()..];
            let address = escape(address);
            out.push_str(&format!(
                "<a href=\"{address}\" style=\"color:{colour}\">{address}</a>{}",
                escape(rest)
            ));
        } else {
            out.push_str(&escape(word));
        }
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead(right_to_left: bool) -> Letterhead {
        Letterhead {
            name: "Ministère <des> Mines".to_owned(),
            colour: "#006633".to_owned(),
            logo: None,
            language: if right_to_left { "ar" } else { "fr" }.to_owned(),
            right_to_left,
        }
    }

    #[test]
    fn text_is_escaped_and_addresses_become_links() {
        let html = letterhead(false).html(
            "Objet <b>",
            "Bonjour <script>alert(1)</script>,\n\nSuivre : https://ordo.example/suivi?code=A&b=1.\nFin",
        );
        assert!(html.contains("Ministère &lt;des&gt; Mines"));
        assert!(html.contains("<title>Objet &lt;b&gt;</title>"));
        assert!(html.contains("Bonjour &lt;script&gt;alert(1)&lt;/script&gt;,"));
        assert!(!html.contains("<script>"));
        assert!(html.contains(
            "<a href=\"https://ordo.example/suivi?code=A&amp;b=1\" style=\"color:#006633\">https://ordo.example/suivi?code=A&amp;b=1</a>.<br>"
        ));
        assert!(html.contains("background:#006633"));
        assert!(html.contains("dir=\"ltr\""));
        assert!(!html.contains("cid:"));
    }

    #[test]
    fn arabic_is_laid_out_right_to_left_with_the_logo_inline() {
        let mut head = letterhead(true);
        head.logo = Some((vec![0x89, b'P', b'N', b'G'], "image/png".to_owned()));
        let html = head.html("موضوع", "مرحبا");
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("text-align:right"));
        assert!(html.contains("src=\"cid:logo@ordo\""));
        let part = String::from_utf8(head.body("موضوع", "مرحبا").formatted()).expect("utf-8");
        assert!(part.contains("multipart/alternative"));
        assert!(part.contains("multipart/related"));
        assert!(part.contains("Content-ID: <logo@ordo>"));
        assert!(part.contains("text/plain"));
    }
}
