//! Receipts for people, as PDF/A-2b documents an independent reader can keep and
//! check: the acknowledgment of receipt (*accusé de réception*) above all.
//!
//! The caller says what the receipt holds, already in the reader's language (labels
//! and values); this crate lays it out on an A4 page with the verification QR code.
//! Text is set in DejaVu Sans, embedded (subset) as PDF/A requires, which covers
//! Latin and Arabic; Arabic is shaped by rustybuzz and set right to left.

use krilla::{
    Document, SerializeSettings,
    color::rgb,
    configure::{Configuration, Validator},
    geom::{PathBuilder, Point, Rect},
    metadata::{DateTime, Metadata},
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, FillRule},
    surface::Surface,
    text::{Font, TextDirection},
};

/// DejaVu Sans (free licence, see `fonts/LICENSE-DejaVu.txt`): Latin, Arabic and
/// the symbols a receipt needs in one face.
static FONT_DATA: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const QR_SIZE: f32 = 110.0;
/// The coloured band across the top of the page.
const BAND_HEIGHT: f32 = 14.0;

/// Which way the receipt's language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

/// A receipt's content, in the reader's language.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// BCP 47 code of the language it is written in (`fr`, `ar`, `en`).
    pub language: String,
    pub direction: Direction,
    /// The issuing administration (and unit), first on the page.
    pub issuer: Vec<String>,
    /// The receipt's title, e.g. "Accusé de réception".
    pub title: String,
    /// Label and value pairs, in order.
    pub fields: Vec<(String, String)>,
    /// The files received: one line each (name, size, fingerprint).
    pub files_heading: String,
    pub files: Vec<String>,
    /// Where the receipt can be checked; drawn as a QR code and printed.
    pub verification_url: String,
    /// The sentence that says how to check it, printed beside the QR code.
    pub verification_text: String,
    /// When it was issued, for the document's metadata.
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// The administration's logo, printed first.
    pub logo: Option<Logo>,
    /// The administration's own words under the title (may be empty).
    pub wording: String,
    /// The signature block at the foot (lines; may be empty).
    pub signature: String,
    /// The administration's colour (red, green, blue): the band at the top, the
    /// title and the rules. None: the receipt's own dark ink.
    pub accent: Option<[u8; 3]>,
}

/// A logo as uploaded by the administration.
#[derive(Debug, Clone)]
pub struct Logo {
    pub content: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub media_type: String,
}

/// The tallest a logo is printed, in points.
const LOGO_HEIGHT: f32 = 56.0;

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the verification address cannot be drawn as a QR code: {0}")]
    QrCode(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the logo cannot be read: {0}")]
    Logo(String),
}

/// Checks that a logo can be printed (its kind and its content).
pub fn check_logo(logo: &Logo) -> Result<(), ReceiptError> {
    decode_logo(logo).map(drop)
}

fn decode_logo(logo: &Logo) -> Result<krilla::image::Image, ReceiptError> {
    let data: krilla::Data = logo.content.clone().into();
    match logo.media_type.as_str() {
        // PDF/A forbids asking viewers to interpolate images.
        "image/png" => krilla::image::Image::from_png(data, false),
        "image/jpeg" => krilla::image::Image::from_jpeg(data, false),
        other => Err(format!("{other} is not PNG or JPEG")),
    }
    .map_err(ReceiptError::Logo)
}

/// The receipt as a PDF/A-2b document.
pub fn render(receipt: &Receipt) -> Result<Vec<u8>, ReceiptError> {
    let font = Font::new(FONT_DATA.into(), 0).ok_or(ReceiptError::Font)?;
    let measure = Measure::new()?;
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::A2_B),
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| ReceiptError::Pdf("page size".to_owned()))?;
    let mut page = document.start_page_with(page_settings);
    let mut surface = page.surface();
    let mut pen = Pen {
        surface: &mut surface,
        font,
        measure: &measure,
        direction: receipt.direction,
        y: MARGIN,
        accent: receipt
            .accent
            .map_or(Colour::Ink, |[r, g, b]| Colour::Rgb(r, g, b)),
    };
    pen.band();
    if let Some(logo) = &receipt.logo {
        pen.logo(decode_logo(logo)?);
    }
    for line in &receipt.issuer {
        pen.line(line, 11.0, 15.0, Colour::Muted);
    }
    pen.gap(18.0);
    pen.line(&receipt.title, 20.0, 26.0, pen.accent);
    pen.rule();
    pen.gap(10.0);
    if !receipt.wording.trim().is_empty() {
        for paragraph in receipt.wording.lines() {
            for part in wrap(paragraph, 90) {
                pen.line(&part, 10.0, 14.0, Colour::Ink);
            }
        }
        pen.gap(10.0);
    }
    for (label, value) in &receipt.fields {
        pen.line(label, 9.0, 12.0, Colour::Muted);
        for part in wrap(value, 80) {
            pen.line(&part, 12.0, 16.0, Colour::Ink);
        }
        pen.gap(6.0);
    }
    if !receipt.files.is_empty() {
        pen.gap(6.0);
        pen.line(&receipt.files_heading, 9.0, 12.0, Colour::Muted);
        for file in &receipt.files {
            for part in wrap(file, 95) {
                pen.line(&part, 9.0, 12.0, Colour::Ink);
            }
        }
    }
    pen.gap(16.0);
    pen.rule();
    pen.gap(10.0);
    let qr_top = pen.y;
    draw_qr(
        pen.surface,
        &receipt.verification_url,
        pen.direction,
        qr_top,
    )?;
    let text_width = 60;
    for part in wrap(&receipt.verification_text, text_width) {
        pen.line_beside_qr(&part, 10.0, 14.0);
    }
    pen.line_beside_qr(&receipt.verification_url, 8.0, 12.0);
    if !receipt.signature.trim().is_empty() {
        pen.y = pen.y.max(qr_top + QR_SIZE) + 24.0;
        for line in receipt.signature.lines() {
            pen.line(line.trim(), 11.0, 15.0, Colour::Ink);
        }
    }
    surface.finish();
    page.finish();
    document.set_metadata(metadata(receipt));
    document
        .finish()
        .map_err(|e| ReceiptError::Pdf(format!("{e:?}")))
}

fn metadata(receipt: &Receipt) -> Metadata {
    use chrono::{Datelike, Timelike};
    let at = receipt.issued_at;
    let date = DateTime::new(u16::try_from(at.year()).unwrap_or(0))
        .month(u8::try_from(at.month()).unwrap_or(1))
        .day(u8::try_from(at.day()).unwrap_or(1))
        .hour(u8::try_from(at.hour()).unwrap_or(0))
        .minute(u8::try_from(at.minute()).unwrap_or(0))
        .second(u8::try_from(at.second()).unwrap_or(0))
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(receipt.title.clone())
        .language(receipt.language.clone())
        .creator("Ordo".to_owned())
        .producer("Ordo".to_owned())
        .authors(receipt.issuer.first().cloned().into_iter().collect())
        .creation_date(date)
        .text_direction(match receipt.direction {
            Direction::LeftToRight => krilla::metadata::TextDirection::LeftToRight,
            Direction::RightToLeft => krilla::metadata::TextDirection::RightToLeft,
        })
}

#[derive(Debug, Clone, Copy)]
enum Colour {
    Ink,
    Muted,
    Rgb(u8, u8, u8),
}

impl Colour {
    fn fill(self) -> Fill {
        let colour = match self {
            Colour::Ink => rgb::Color::new(20, 24, 31),
            Colour::Muted => rgb::Color::new(85, 92, 104),
            Colour::Rgb(r, g, b) => rgb::Color::new(r, g, b),
        };
        Fill {
            paint: colour.into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::default(),
        }
    }
}

/// Writes lines down the page, aligned to the side the language starts from.
struct Pen<'a, 'b> {
    surface: &'a mut Surface<'b>,
    font: Font,
    measure: &'a Measure,
    direction: Direction,
    /// The top of the next line, from the top of the page.
    y: f32,
    /// The administration's colour, or the ink.
    accent: Colour,
}

impl Pen<'_, '_> {
    fn line(&mut self, text: &str, size: f32, leading: f32, colour: Colour) {
        self.y += leading;
        let x = match self.direction {
            Direction::LeftToRight => MARGIN,
            Direction::RightToLeft => PAGE_WIDTH - MARGIN - self.measure.width(text, size),
        };
        self.text_at(x, text, size, colour);
    }

    /// A line in the column beside the QR code (which sits on the starting side).
    fn line_beside_qr(&mut self, text: &str, size: f32, leading: f32) {
        self.y += leading;
        let x = match self.direction {
            Direction::LeftToRight => MARGIN + QR_SIZE + 16.0,
            Direction::RightToLeft => {
                PAGE_WIDTH - MARGIN - QR_SIZE - 16.0 - self.measure.width(text, size)
            }
        };
        self.text_at(x, text, size, Colour::Ink);
    }

    fn text_at(&mut self, x: f32, text: &str, size: f32, colour: Colour) {
        self.surface.set_fill(Some(colour.fill()));
        self.surface.draw_text(
            Point::from_xy(x, self.y),
            self.font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// The logo at the top, on the starting side, at most LOGO_HEIGHT tall.
    fn logo(&mut self, image: krilla::image::Image) {
        let (width, height) = image.size();
        let scale = LOGO_HEIGHT / height.max(1) as f32;
        let (w, h) = ((width as f32 * scale).min(200.0), LOGO_HEIGHT);
        let x = match self.direction {
            Direction::LeftToRight => MARGIN,
            Direction::RightToLeft => PAGE_WIDTH - MARGIN - w,
        };
        if let Some(size) = krilla::geom::Size::from_wh(w, h) {
            self.surface
                .push_transform(&krilla::geom::Transform::from_translate(x, self.y));
            self.surface.draw_image(image, size);
            self.surface.pop();
        }
        self.y += h + 6.0;
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    fn rule(&mut self) {
        self.y += 8.0;
        fill_rect(
            self.surface,
            Rect::from_xywh(MARGIN, self.y, PAGE_WIDTH - 2.0 * MARGIN, 1.2),
            self.accent,
        );
    }

    /// A band across the top edge of the page, in the administration's colour.
    fn band(&mut self) {
        fill_rect(
            self.surface,
            Rect::from_xywh(0.0, 0.0, PAGE_WIDTH, BAND_HEIGHT),
            self.accent,
        );
    }
}

fn fill_rect(surface: &mut Surface<'_>, rect: Option<Rect>, colour: Colour) {
    let Some(rect) = rect else { return };
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    if let Some(path) = path.finish() {
        surface.set_fill(Some(colour.fill()));
        surface.draw_path(&path);
    }
}

/// The verification address as a QR code, on the side the language starts from.
fn draw_qr(
    surface: &mut Surface<'_>,
    url: &str,
    direction: Direction,
    top: f32,
) -> Result<(), ReceiptError> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map_err(|e| ReceiptError::QrCode(e.to_string()))?;
    let modules = code.width();
    let colours = code.to_colors();
    let module = QR_SIZE / modules as f32;
    let left = match direction {
        Direction::LeftToRight => MARGIN,
        Direction::RightToLeft => PAGE_WIDTH - MARGIN - QR_SIZE,
    };
    let mut path = PathBuilder::new();
    for (index, colour) in colours.iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (row, column) = (index / modules, index % modules);
            if let Some(rect) = Rect::from_xywh(
                left + column as f32 * module,
                top + row as f32 * module,
                module,
                module,
            ) {
                path.push_rect(rect);
            }
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Colour::Ink.fill()));
        surface.draw_path(&path);
    }
    Ok(())
}

/// Measures shaped text, to set right-to-left lines flush right.
struct Measure {
    face: rustybuzz::Face<'static>,
}

impl Measure {
    fn new() -> Result<Self, ReceiptError> {
        let face = rustybuzz::Face::from_slice(FONT_DATA, 0).ok_or(ReceiptError::Font)?;
        Ok(Self { face })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(self.face.units_per_em() as u16)
    }
}

/// Splits text into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if word.chars().count() > width {
            let chars: Vec<char> = word.chars().collect();
            for chunk in chars.chunks(width) {
                if !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                current = chunk.iter().collect();
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(direction: Direction) -> Receipt {
        Receipt {
            language: "fr".to_owned(),
            direction,
            issuer: vec!["Ministère des Mines et de la Géologie".to_owned()],
            title: "Accusé de réception".to_owned(),
            fields: vec![
                (
                    "Numéro d'enregistrement".to_owned(),
                    "MMG/ARR/2026/000042".to_owned(),
                ),
                ("Objet".to_owned(), "طلب رخصة تنقيب".to_owned()),
            ],
            files_heading: "Fichiers".to_owned(),
            files: vec!["lettre.pdf — 12 Ko — SHA-256 ab12…".to_owned()],
            verification_url: "https://ordo.example/verifier/MMG/ABCD-EFGH-JKLM".to_owned(),
            verification_text: "Vérifiez cet accusé en ligne.".to_owned(),
            issued_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
            logo: Some(Logo {
                content: ONE_PIXEL_PNG.to_vec(),
                media_type: "image/png".to_owned(),
            }),
            wording: "Votre courrier a été enregistré au bureau d'ordre central.".to_owned(),
            signature: "Le chef du bureau d'ordre\nMamadou Bah".to_owned(),
            accent: Some([0, 0x66, 0x33]),
        }
    }

    #[test]
    fn renders_a_pdf_a_document_in_both_directions() {
        for direction in [Direction::LeftToRight, Direction::RightToLeft] {
            let pdf = render(&receipt(direction)).expect("rendered");
            assert!(pdf.starts_with(b"%PDF-1.7"), "a PDF 1.7 file");
            let text = String::from_utf8_lossy(&pdf);
            assert!(text.contains("pdfaid:part"), "PDF/A identification in XMP");
            assert!(text.contains("FontFile2"), "the font is embedded");
            // Left for a person (or qpdf, pdftotext) to look at.
            let sample = std::env::temp_dir().join(format!("ordo-receipt-{direction:?}.pdf"));
            std::fs::write(sample, &pdf).expect("sample written");
        }
    }

    /// A valid 1×1 PNG.
    const ONE_PIXEL_PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60,
        0x60, 0x60, 0xf8, 0x0f, 0x00, 0x01, 0x04, 0x01, 0x00, 0x5f, 0xe5, 0xc3, 0x4b, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_logo_must_be_an_image() {
        let good = Logo {
            content: ONE_PIXEL_PNG.to_vec(),
            media_type: "image/png".to_owned(),
        };
        assert!(check_logo(&good).is_ok());
        let bad = Logo {
            content: b"not a picture".to_vec(),
            media_type: "image/png".to_owned(),
        };
        assert!(check_logo(&bad).is_err());
    }

    #[test]
    fn long_values_wrap_at_spaces() {
        assert_eq!(wrap("un deux trois", 8), vec!["un deux", "trois"]);
        assert_eq!(wrap("", 8), vec![""]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
