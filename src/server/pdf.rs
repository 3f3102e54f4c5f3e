//! Invoice PDF rendering.
//!
//! Why krilla: it is pure Rust (no C toolchain, no headless browser), embeds
//! and subsets TrueType fonts with a ToUnicode map so the text stays
//! selectable and extractable, and renders a typical invoice in about 2 ms.
//! DejaVu Sans is bundled in `assets/fonts` (Bitstream Vera licence) so the
//! output does not depend on the host's fonts and covers accented names.
//!
//! The invoice speaks its own language (`Invoice::locale`, fixed when it
//! was issued, so it always renders the same): its words come from the
//! catalogues, its money and dates from `i18n::format`. A right-to-left
//! language's invoice is the mirror image of a left-to-right one: columns,
//! blocks and alignments swap sides, and every line of its words is a
//! right-to-left paragraph.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;

use crate::domain::locale::{Direction, Locale};
use crate::domain::shop::{Letterhead, LogoFormat};
use crate::domain::{Money, TaxRate};
use crate::domain::Invoice;
use crate::server::i18n::format;
use crate::server::services::shop::PrintedLetterhead;

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The fonts the invoice is set in; an SVG logo's text is set in them too.
pub(crate) static BUNDLED_FONTS: [&[u8]; 2] = [REGULAR_TTF, BOLD_TTF];

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const LEFT: f32 = 18.0 * MM;
const RIGHT: f32 = PAGE_W - 18.0 * MM;
const BOTTOM_LIMIT: f32 = PAGE_H - 30.0 * MM;

const INK: (u8, u8, u8) = (0x1d, 0x24, 0x33);
const MUTED: (u8, u8, u8) = (0x5b, 0x64, 0x73);
const PAID_GREEN: (u8, u8, u8) = (0x1b, 0x7f, 0x4b);
const RULE: (u8, u8, u8) = (0xc9, 0xcf, 0xd8);
const WHITE: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// A font parsed once, for drawing (krilla) and for measuring (rustybuzz).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::load(REGULAR_TTF),
    bold: Face::load(BOLD_TTF),
});

impl Face {
    fn load(bytes: &'static [u8]) -> Self {
        Self {
            font: Font::new(bytes.into(), 0).expect("bundled font is valid"),
            shaper: rustybuzz::Face::from_slice(bytes, 0).expect("bundled font is valid"),
        }
    }

    /// Shapes text once; the glyphs are drawn exactly as measured. The
    /// line is split into runs by the Unicode bidirectional algorithm, as a
    /// paragraph of direction `base`, and each run is shaped in its own
    /// direction, laid out in visual order: an invoice number inside Arabic
    /// or Hebrew text still reads left to right, and the right-to-left
    /// words around it right to left.
    fn shape(&self, text: &str, size: f32, base: Base) -> Shaped {
        let units_per_em = self.shaper.units_per_em() as f32;
        let mut glyphs = Vec::with_capacity(text.len());
        // Most of an invoice is ASCII, and the rest of a left-to-right one
        // (€, accents, the isolates around a message's arguments) has nothing
        // that could turn right to left: one left-to-right run, no analysis.
        let left_to_right_only = text.is_ascii() || !text.chars().any(can_run_right_to_left);
        if base != Base::RightToLeft && left_to_right_only {
            let advance_units = self.shape_run(text, 0..text.len(), rustybuzz::Direction::LeftToRight, units_per_em, &mut glyphs);
            return Shaped { glyphs, width: advance_units as f32 / units_per_em * size };
        }
        let bidi = unicode_bidi::BidiInfo::new(text, base.paragraph_level());
        let mut advance_units = 0i32;
        for paragraph in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
            for run in runs {
                let direction =
                    if levels[run.start].is_rtl() { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight };
                advance_units += self.shape_run(text, run, direction, units_per_em, &mut glyphs);
            }
        }
        Shaped { glyphs, width: advance_units as f32 / units_per_em * size }
    }

    /// Shapes `text[run]` in `direction`, appending its glyphs (in visual
    /// order, their text ranges into the whole `text`); returns its advance
    /// in font units. Direction marks and isolates have done their work in
    /// the bidi split: they are dropped, not drawn, and left out of the
    /// text a reader copies.
    fn shape_run(
        &self,
        text: &str,
        run: std::ops::Range<usize>,
        direction: rustybuzz::Direction,
        units_per_em: f32,
        glyphs: &mut Vec<KrillaGlyph>,
    ) -> i32 {
        let piece = &text[run.clone()];
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.guess_segment_properties();
        buffer.set_direction(direction);
        buffer.set_flags(rustybuzz::BufferFlags::REMOVE_DEFAULT_IGNORABLES);
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let (infos, positions) = (output.glyph_infos(), output.glyph_positions());
        // Each glyph maps to the text from its cluster to the next cluster
        // start in text order; glyphs come in visual order, which is reversed
        // for right-to-left runs, so look the boundaries up sorted.
        let mut boundaries: Vec<usize> = infos.iter().map(|info| info.cluster as usize).collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        let mut advance_units = 0i32;
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let end = boundaries.get(boundaries.partition_point(|&b| b <= start)).copied().unwrap_or(piece.len());
            advance_units += pos.x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / units_per_em,
                pos.x_offset as f32 / units_per_em,
                pos.y_offset as f32 / units_per_em,
                pos.y_advance as f32 / units_per_em,
                without_bidi_controls(text, run.start + start..run.start + end),
                None,
            ));
        }
        advance_units
    }
}

/// The paragraph direction a line of text is laid out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    LeftToRight,
    RightToLeft,
    /// The text's own first strong character decides (`dir="auto"`): a
    /// name, an address or a description standing alone on its line is
    /// laid out as it would be as a message's argument, isolated.
    Own,
}

impl Base {
    /// The invoice's words (catalogue messages, money, dates) run the
    /// locale's way.
    fn of(locale: Locale) -> Self {
        match locale.direction() {
            Direction::LeftToRight => Base::LeftToRight,
            Direction::RightToLeft => Base::RightToLeft,
        }
    }

    fn paragraph_level(self) -> Option<unicode_bidi::Level> {
        match self {
            Base::LeftToRight => Some(unicode_bidi::Level::ltr()),
            Base::RightToLeft => Some(unicode_bidi::Level::rtl()),
            Base::Own => None,
        }
    }
}

/// Whether `c` could make any of a line run right to left: a right-to-left
/// letter, an Arabic-Indic digit, or an explicit right-to-left embedding,
/// override or isolate. A first-strong isolate only turns right to left
/// around such a letter.
fn can_run_right_to_left(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, AN, R, RLE, RLI, RLO};
    matches!(unicode_bidi::bidi_class(c), R | AL | AN | RLE | RLO | RLI)
}

/// The invisible characters that only steer the bidi algorithm: LRM, RLM,
/// ALM, the embeddings and overrides, the isolates. The catalogues put
/// isolates around arguments and CLDR puts marks in Arabic money, dates and
/// percentages; shaping drops them all (they are default-ignorable).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `range` of `text` without the bidi controls at either end: a glyph next
/// to a dropped control would otherwise carry it into the copied text.
fn without_bidi_controls(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let piece = &text[range.clone()];
    let trimmed = piece.trim_start_matches(is_bidi_control);
    let start = range.start + (piece.len() - trimmed.len());
    let end = start + trimmed.trim_end_matches(is_bidi_control).len();
    // A glyph made of controls alone (none is drawn; should a font draw one) keeps its text.
    if start == end { range } else { start..end }
}

struct Shaped {
    glyphs: Vec<KrillaGlyph>,
    width: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

impl Align {
    fn mirrored(self) -> Self {
        match self {
            Align::Left => Align::Right,
            Align::Right => Align::Left,
        }
    }
}

/// One drawing operation at absolute page coordinates (points, y downwards;
/// text y is the baseline). Layout produces these per page; `paint` draws them.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text { bold: bool, size: f32, color: Rgb, x: f32, y: f32, align: Align, base: Base, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, color: Rgb },
    Rule { y: f32, width: f32, color: Rgb },
    /// The seller's logo, fitted into this box.
    Logo { x: f32, y: f32, w: f32, h: f32 },
}

impl Op {
    /// This operation reflected in the page's vertical centre line: the
    /// same box on the other side, text aligned to the other edge. Rules
    /// span the margins, which are the same on both sides.
    fn mirrored(self) -> Self {
        match self {
            Op::Text { bold, size, color, x, y, align, base, text } => {
                Op::Text { bold, size, color, x: PAGE_W - x, y, align: align.mirrored(), base, text }
            }
            Op::Rect { x, y, w, h, color } => Op::Rect { x: PAGE_W - x - w, y, w, h, color },
            Op::Logo { x, y, w, h } => Op::Logo { x: PAGE_W - x - w, y, w, h },
            rule @ Op::Rule { .. } => rule,
        }
    }
}

type Rgb = (u8, u8, u8);

/// Pages of drawing operations; the last page is the one being written.
/// Laid out left to right; a right-to-left invoice is then mirrored whole.
struct Layout {
    pages: Vec<Vec<Op>>,
    /// The direction of the invoice's words.
    words: Base,
}

impl Layout {
    fn new(words: Base) -> Self {
        Self { pages: vec![Vec::new()], words }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a layout always has a page")
    }

    /// The invoice's own words: labels, money, dates.
    fn text(&mut self, bold: bool, size: f32, color: Rgb, x: f32, y: f32, align: Align, text: impl Into<String>) {
        let base = self.words;
        self.push_text(Op::Text { bold, size, color, x, y, align, base, text: text.into() });
    }

    /// Text that stands on its own, in whatever script it is written in:
    /// names, addresses, descriptions, the invoice number.
    fn own_text(&mut self, bold: bool, size: f32, color: Rgb, x: f32, y: f32, align: Align, text: impl Into<String>) {
        self.push_text(Op::Text { bold, size, color, x, y, align, base: Base::Own, text: text.into() });
    }

    fn push_text(&mut self, op: Op) {
        if !matches!(&op, Op::Text { text, .. } if text.is_empty()) {
            self.ops().push(op);
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.ops().push(Op::Rect { x, y, w, h, color });
    }

    fn rule(&mut self, y: f32, width: f32, color: Rgb) {
        self.ops().push(Op::Rule { y, width, color });
    }

    /// Every page reflected left to right.
    fn mirror(&mut self) {
        for ops in &mut self.pages {
            *ops = std::mem::take(ops).into_iter().map(Op::mirrored).collect();
        }
    }
}

fn solid(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("PDF rendering failed: {0}")]
pub struct RenderError(String);

// Right edges of the numeric table columns.
const COL_QTY: f32 = LEFT + 104.0 * MM;
const COL_UNIT: f32 = LEFT + 131.0 * MM;
const COL_TAX: f32 = LEFT + 148.0 * MM;
const COL_AMOUNT: f32 = RIGHT;
const DESCRIPTION_WIDTH: f32 = 86.0 * MM;
/// Where the totals' labels start: under the quantity column, so a longer
/// label ("Gesamtbetrag EUR", "ضريبة القيمة المضافة 21%") clears its amount.
const TOTALS_LABEL: f32 = LEFT + 96.0 * MM;
const LINE_GAP: f32 = 4.6 * MM;

/// The logo's box at the top left: at most this tall and this wide.
const LOGO_MAX_H: f32 = 14.0 * MM;
const LOGO_MAX_W: f32 = 70.0 * MM;

/// A logo ready to draw, with its own width and height (any unit).
enum LogoArt {
    Png(Image),
    Svg(Box<usvg::Tree>),
}

impl LogoArt {
    /// `None` for bytes that do not read: the invoice is still printed,
    /// with the seller's name alone (the shop file's check makes this rare).
    fn read(format: LogoFormat, bytes: &[u8]) -> Option<Self> {
        match format {
            LogoFormat::Png => Image::from_png(bytes.to_vec().into(), true).ok().map(Self::Png),
            LogoFormat::Svg => crate::server::shop::logo::read_svg(bytes).ok().map(|tree| Self::Svg(Box::new(tree))),
        }
    }

    fn size(&self) -> (f32, f32) {
        match self {
            Self::Png(image) => {
                let (w, h) = image.size();
                (w as f32, h as f32)
            }
            Self::Svg(tree) => (tree.size().width(), tree.size().height()),
        }
    }
}

/// Renders an A4 invoice with the letterhead it was issued with, in the
/// invoice's language. CPU-bound (a few ms): call it off the async runtime.
pub fn render_invoice(invoice: &Invoice, letterhead: &PrintedLetterhead) -> Result<Vec<u8>, RenderError> {
    let logo = letterhead.logo.as_ref().and_then(|(format, bytes)| LogoArt::read(*format, bytes));
    let doc = layout(invoice, &letterhead.letterhead, logo.as_ref().map(LogoArt::size));
    // No isolates in metadata: a viewer's title bar may not hide them.
    let title = crate::tr_plain!(invoice.locale, "pdf-document-title", number = invoice.number.as_str());
    paint(&doc, logo.as_ref(), &title, &letterhead.letterhead.name, invoice.locale)
}

fn layout(invoice: &Invoice, seller: &Letterhead, logo_size: Option<(f32, f32)>) -> Layout {
    let fonts = &*FONTS;
    let locale = invoice.locale;
    let money = |minor: i64| format::money(locale, Money::new(minor, invoice.currency));
    let mut doc = Layout::new(Base::of(locale));
    let accent = (seller.accent.red, seller.accent.green, seller.accent.blue);

    // Accent band, logo and seller block.
    doc.rect(0.0, 0.0, PAGE_W, 4.0 * MM, accent);
    let mut y = 22.0 * MM;
    if let Some((w, h)) = logo_size.filter(|(w, h)| *w > 0.0 && *h > 0.0) {
        let scale = (LOGO_MAX_H / h).min(LOGO_MAX_W / w);
        doc.ops().push(Op::Logo { x: LEFT, y: 9.0 * MM, w: w * scale, h: h * scale });
        y = 9.0 * MM + h * scale + 7.0 * MM;
    }
    doc.own_text(true, 15.0, INK, LEFT, y, Align::Left, seller.name.as_str());
    // The address as the invoice's language writes it, where the shop file gives one.
    for line in seller.address_in(locale) {
        y += 5.0 * MM;
        doc.own_text(false, 9.0, MUTED, LEFT, y, Align::Left, line.as_str());
    }
    if !seller.tax_id.is_empty() {
        y += 5.0 * MM;
        doc.text(false, 9.0, MUTED, LEFT, y, Align::Left, crate::tr!(locale, "pdf-vat-id", vat_id = seller.tax_id.as_str()));
    }
    y += 5.0 * MM;
    doc.own_text(false, 9.0, MUTED, LEFT, y, Align::Left, seller.email.as_str());
    let seller_bottom = y;

    // Title block, right aligned, with the PAID badge.
    doc.text(true, 22.0, INK, RIGHT, 24.0 * MM, Align::Right, crate::tr!(locale, "pdf-heading"));
    doc.text(false, 10.0, INK, RIGHT, 31.0 * MM, Align::Right, crate::tr!(locale, "pdf-invoice-number", number = invoice.number.as_str()));
    let issued = crate::tr!(locale, "pdf-issued", date = format::date(locale, invoice.issued_at));
    doc.text(false, 9.0, MUTED, RIGHT, 37.0 * MM, Align::Right, issued);
    if let Some(paid_at) = invoice.paid_at {
        let paid = crate::tr!(locale, "pdf-paid-on", date = format::date(locale, paid_at));
        doc.text(false, 9.0, MUTED, RIGHT, 42.0 * MM, Align::Right, paid);
        let stamp = crate::tr!(locale, "pdf-paid-stamp");
        let badge_width = fonts.bold.shape(&stamp, 11.0, doc.words).width + 8.0 * MM;
        doc.rect(RIGHT - badge_width, 46.0 * MM, badge_width, 8.0 * MM, PAID_GREEN);
        doc.text(true, 11.0, WHITE, RIGHT - 4.0 * MM, 51.6 * MM, Align::Right, stamp);
    }

    // Bill-to block.
    let bill_to = &invoice.bill_to;
    y = seller_bottom.max(56.0 * MM) + 12.0 * MM;
    doc.text(true, 8.0, MUTED, LEFT, y, Align::Left, crate::tr!(locale, "pdf-bill-to"));
    y += 5.5 * MM;
    doc.own_text(true, 10.0, INK, LEFT, y, Align::Left, bill_to.name.as_str());
    let postcode_city = format!("{} {}", bill_to.postcode, bill_to.city).trim().to_owned();
    for line in [bill_to.email.as_str(), &bill_to.address, &postcode_city, &bill_to.country] {
        if !line.is_empty() {
            y += 5.0 * MM;
            doc.own_text(false, 9.0, INK, LEFT, y, Align::Left, line);
        }
    }

    // Lines table, continued on new pages as needed.
    y += 14.0 * MM;
    table_header(&mut doc, locale, y);
    y += 9.0 * MM;
    for line in &invoice.lines {
        let wrapped = wrap(&fonts.regular, 9.5, &line.description, DESCRIPTION_WIDTH);
        let row_height = wrapped.len() as f32 * LINE_GAP + 3.0 * MM;
        if y + row_height > BOTTOM_LIMIT {
            doc.pages.push(Vec::new());
            let continued = crate::tr!(locale, "pdf-continued", number = invoice.number.as_str());
            doc.text(false, 9.0, MUTED, LEFT, 18.0 * MM, Align::Left, continued);
            table_header(&mut doc, locale, 28.0 * MM);
            y = 37.0 * MM;
        }
        for (i, text) in wrapped.into_iter().enumerate() {
            doc.own_text(false, 9.5, INK, LEFT, y + i as f32 * LINE_GAP, Align::Left, text);
        }
        doc.text(false, 9.5, INK, COL_QTY, y, Align::Right, line.quantity.to_string());
        doc.text(false, 9.5, INK, COL_UNIT, y, Align::Right, money(line.unit_price_minor));
        doc.text(false, 9.5, INK, COL_TAX, y, Align::Right, format::percent(locale, line.tax_rate));
        doc.text(false, 9.5, INK, COL_AMOUNT, y, Align::Right, money(line.net_minor));
        y += row_height;
    }

    // Totals: subtotal, tax per rate, total, amount due.
    let mut rates: Vec<(TaxRate, i64)> = Vec::new();
    for line in &invoice.lines {
        match rates.iter_mut().find(|(rate, _)| *rate == line.tax_rate) {
            Some((_, tax)) => *tax += line.tax_minor,
            None => rates.push((line.tax_rate, line.tax_minor)),
        }
    }
    let totals_height = (rates.len() as f32 + 4.0) * 6.5 * MM;
    if y + totals_height > BOTTOM_LIMIT {
        doc.pages.push(Vec::new());
        y = 25.0 * MM;
    }
    doc.rule(y - 2.0 * MM, 0.5, RULE);
    y += 4.0 * MM;
    let total_row = |doc: &mut Layout, y: f32, bold: bool, label: String, amount: String| {
        let size = if bold { 11.0 } else { 9.5 };
        doc.text(bold, size, INK, TOTALS_LABEL, y, Align::Left, label);
        doc.text(bold, size, INK, COL_AMOUNT, y, Align::Right, amount);
    };
    total_row(&mut doc, y, false, crate::tr!(locale, "pdf-subtotal"), money(invoice.subtotal_minor));
    for (rate, tax) in rates {
        y += 6.0 * MM;
        total_row(&mut doc, y, false, crate::tr!(locale, "pdf-tax-at-rate", rate = format::percent(locale, rate)), money(tax));
    }
    y += 8.0 * MM;
    let total = crate::tr!(locale, "pdf-total", currency = invoice.currency.code());
    total_row(&mut doc, y, true, total, money(invoice.total_minor));
    let due = if invoice.paid_at.is_some() { 0 } else { invoice.total_minor };
    y += 6.5 * MM;
    total_row(&mut doc, y, false, crate::tr!(locale, "pdf-amount-due"), money(due));

    // Footer on every page.
    let footer = if seller.tax_id.is_empty() {
        crate::tr!(locale, "pdf-footer", seller = seller.name.as_str())
    } else {
        crate::tr!(locale, "pdf-footer-with-vat-id", seller = seller.name.as_str(), vat_id = seller.tax_id.as_str())
    };
    let pages = doc.pages.len();
    let footer_y = PAGE_H - 14.0 * MM;
    for index in 0..pages {
        let page_of = crate::tr!(locale, "pdf-page-of", page = (index + 1).to_string(), pages = pages.to_string());
        doc.pages[index].push(Op::Rule { y: footer_y - 5.0 * MM, width: 0.5, color: RULE });
        let words = doc.words;
        let text = |x, align, text| Op::Text { bold: false, size: 8.0, color: MUTED, x, y: footer_y, align, base: words, text };
        doc.pages[index].push(text(LEFT, Align::Left, footer.clone()));
        doc.pages[index].push(text(RIGHT, Align::Right, page_of));
    }

    if doc.words == Base::RightToLeft {
        doc.mirror();
    }
    doc
}

fn table_header(doc: &mut Layout, locale: Locale, y: f32) {
    doc.text(true, 8.0, MUTED, LEFT, y, Align::Left, crate::tr!(locale, "pdf-column-description"));
    doc.text(true, 8.0, MUTED, COL_QTY, y, Align::Right, crate::tr!(locale, "pdf-column-quantity"));
    doc.text(true, 8.0, MUTED, COL_UNIT, y, Align::Right, crate::tr!(locale, "pdf-column-unit-price"));
    doc.text(true, 8.0, MUTED, COL_TAX, y, Align::Right, crate::tr!(locale, "pdf-column-tax"));
    doc.text(true, 8.0, MUTED, COL_AMOUNT, y, Align::Right, crate::tr!(locale, "pdf-column-amount"));
    doc.rule(y + 2.5 * MM, 0.8, INK);
}

/// Greedy word wrap of text that stands on its own (a description) to
/// `max_width`; a single over-long word is cut by characters.
fn wrap(face: &Face, size: f32, text: &str, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if face.shape(&candidate, size, Base::Own).width <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // The word alone may still be too wide: cut it.
        for ch in word.chars() {
            current.push(ch);
            if face.shape(&current, size, Base::Own).width > max_width && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::take(&mut current));
                current.push(ch);
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

fn paint(doc: &Layout, logo: Option<&LogoArt>, title: &str, author: &str, locale: Locale) -> Result<Vec<u8>, RenderError> {
    let fonts = &*FONTS;
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError("invalid page size".into()))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .authors(vec![author.to_owned()])
            .creator("checkout-portal".to_owned())
            .language(locale.tag().to_owned()),
    );
    for ops in &doc.pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { bold, size, color, x, y, align, base, text } => {
                    let face = if *bold { &fonts.bold } else { &fonts.regular };
                    let shaped = face.shape(text, *size, *base);
                    let x = match align {
                        Align::Left => *x,
                        Align::Right => x - shaped.width,
                    };
                    surface.set_stroke(None);
                    surface.set_fill(Some(solid(*color)));
                    surface.draw_glyphs(Point::from_xy(x, *y), &shaped.glyphs, face.font.clone(), text, *size, false);
                }
                Op::Rect { x, y, w, h, color } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(solid(*color)));
                        surface.draw_path(&path);
                    }
                }
                Op::Logo { x, y, w, h } => {
                    let (Some(logo), Some(size)) = (logo, Size::from_wh(*w, *h)) else { continue };
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    match logo {
                        LogoArt::Png(image) => surface.draw_image(image.clone(), size),
                        LogoArt::Svg(tree) => {
                            use krilla_svg::SurfaceExt;
                            let _ = surface.draw_svg(tree, size, krilla_svg::SvgSettings::default());
                        }
                    }
                    surface.pop();
                }
                Op::Rule { y, width, color } => {
                    let mut path = PathBuilder::new();
                    path.move_to(LEFT, *y);
                    path.line_to(RIGHT, *y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: *width,
                            paint: rgb::Color::new(color.0, color.1, color.2).into(),
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| RenderError(format!("{e:?}")))
}

#[cfg(test)]
mod glyph_coverage;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Email, InvoiceId, Timestamp};
    use crate::domain::{BillTo, InvoiceLine};

    pub(crate) fn sample_invoice(lines: usize) -> Invoice {
        let rate = TaxRate::from_basis_points(2100).unwrap();
        let lines: Vec<InvoiceLine> = (0..lines)
            .map(|i| InvoiceLine {
                description: format!("Meeting room booking number {i}"),
                quantity: 2,
                unit_price_minor: 3_000,
                tax_rate: rate,
                net_minor: 6_000,
                tax_minor: 1_260,
            })
            .collect();
        Invoice {
            id: InvoiceId::new(1).unwrap(),
            number: "INV-000042".into(),
            customer_id: None,
            bill_to: BillTo {
                name: "Zoë Ångström".into(),
                email: "zoe@example.com".parse::<Email>().unwrap(),
                address: "Keizersgracht 1".into(),
                city: "Amsterdam".into(),
                postcode: "1015 CJ".into(),
                country: "Netherlands".into(),
            },
            currency: Currency::EUR,
            letterhead_id: None,
            locale: crate::domain::locale::Locale::FALLBACK,
            subtotal_minor: 6_000 * lines.len() as i64,
            tax_minor: 1_260 * lines.len() as i64,
            total_minor: 7_260 * lines.len() as i64,
            issued_at: Timestamp::from_millis(1_795_516_200_000),
            paid_at: Some(Timestamp::from_millis(1_795_516_260_000)),
            lines,
        }
    }

    fn plain() -> PrintedLetterhead {
        PrintedLetterhead { letterhead: Letterhead::default(), logo: None }
    }

    /// Every text of the layout as a reader sees it: without the isolates
    /// around arguments and the marks in Arabic money and dates.
    fn texts(doc: &Layout) -> Vec<String> {
        doc.pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(visible(text)),
                _ => None,
            })
            .collect()
    }

    fn visible(text: &str) -> String {
        text.chars().filter(|c| !is_bidi_control(*c)).collect()
    }

    #[test]
    fn lays_out_every_required_field() {
        let doc = layout(&sample_invoice(5), &Letterhead::default(), None);
        let texts = texts(&doc);
        for expected in [
            "Harbourside Coworking B.V.", "INVOICE", "No. INV-000042", "Issued 24 Nov 2026", "Paid 24 Nov 2026", "PAID",
            "Zoë Ångström", "zoe@example.com", "1015 CJ Amsterdam", "21%", "€30.00", "€60.00",
            "€300.00", "VAT 21%", "€63.00", "€363.00", "€0.00",
        ] {
            assert!(texts.iter().any(|t| t == expected), "missing {expected:?} in {texts:?}");
        }
        assert_eq!(doc.pages.len(), 1);
    }

    #[test]
    fn long_invoices_continue_on_new_pages() {
        let doc = layout(&sample_invoice(60), &Letterhead::default(), None);
        assert!(doc.pages.len() >= 2);
        assert!(texts(&doc).iter().any(|t| t == "INV-000042 (continued)"));
        assert!(texts(&doc).iter().any(|t| t == &format!("Page 2 of {}", doc.pages.len())));
    }

    #[test]
    fn wraps_long_descriptions_within_the_column() {
        let long = "Private office for four people with a window onto the canal, monthly, including coffee";
        let lines = wrap(&FONTS.regular, 9.5, long, DESCRIPTION_WIDTH);
        assert!(lines.len() >= 2);
        assert_eq!(lines.join(" "), long);
        assert!(lines.iter().all(|l| FONTS.regular.shape(l, 9.5, Base::Own).width <= DESCRIPTION_WIDTH));
        let unbroken = "x".repeat(200);
        assert!(wrap(&FONTS.regular, 9.5, &unbroken, DESCRIPTION_WIDTH).len() >= 2);
    }

    #[test]
    fn renders_right_to_left_and_mixed_scripts() {
        let mut invoice = sample_invoice(2);
        invoice.bill_to.name = "שלום עליכם".into();
        invoice.bill_to.address = "شارع الملك فهد 12".into();
        invoice.lines[0].description = "Day Pass — יום עבודה".into();
        let bytes = render_invoice(&invoice, &plain()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }

    /// The Latin characters of `text` in the order the shaped glyphs put
    /// them on the page, left to right.
    fn latin_as_drawn(text: &str) -> String {
        let shaped = FONTS.regular.shape(text, 10.0, Base::Own);
        shaped
            .glyphs
            .iter()
            .filter_map(|glyph| text[glyph.text_range.clone()].chars().next())
            .filter(char::is_ascii_alphanumeric)
            .collect()
    }

    #[test]
    fn a_latin_run_inside_right_to_left_text_reads_left_to_right() {
        assert_eq!(latin_as_drawn("فاتورة INV-000042"), "INV000042");
        assert_eq!(latin_as_drawn("שלום Zoë 12"), "Zo12");
        assert_eq!(latin_as_drawn("Day Pass — יום עבודה 2026"), "DayPass2026");
    }

    #[test]
    fn right_to_left_runs_are_drawn_right_to_left_and_widths_add_up() {
        // "ab" then Hebrew alef-bet: on the page, a b, then bet before alef.
        let text = "ab \u{5D0}\u{5D1}";
        let shaped = FONTS.regular.shape(text, 10.0, Base::Own);
        let drawn: String = shaped.glyphs.iter().filter_map(|glyph| text[glyph.text_range.clone()].chars().next()).filter(|c| !c.is_whitespace()).collect();
        assert_eq!(drawn, "ab\u{5D1}\u{5D0}");
        let whole: f32 = ["ab ", "\u{5D0}\u{5D1}"].iter().map(|part| FONTS.regular.shape(part, 10.0, Base::Own).width).sum();
        assert!((shaped.width - whole).abs() < 0.01, "{} vs {whole}", shaped.width);
    }

    #[test]
    fn renders_a_small_pdf() {
        let bytes = render_invoice(&sample_invoice(5), &plain()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 40 * 1024, "PDF is {} bytes", bytes.len());
    }

    #[test]
    fn the_logo_sits_above_the_seller_s_name_and_the_band_takes_the_accent() {
        let letterhead = Letterhead { accent: "#0b5d3b".parse().unwrap(), ..Letterhead::default() };
        let doc = layout(&sample_invoice(1), &letterhead, Some((200.0, 50.0)));
        let ops = &doc.pages[0];
        assert!(matches!(ops[0], Op::Rect { color: (0x0b, 0x5d, 0x3b), .. }), "{:?}", ops[0]);
        let Op::Logo { y, w, h, .. } = ops[1] else { panic!("no logo: {:?}", ops[1]) };
        assert!((h - LOGO_MAX_H).abs() < 0.01 && (w - 4.0 * LOGO_MAX_H).abs() < 0.01, "kept its 4:1 shape: {w}×{h}");
        let name_y = ops.iter().find_map(|op| match op {
            Op::Text { text, y, .. } if text == "Harbourside Coworking B.V." => Some(*y),
            _ => None,
        });
        assert!(name_y.unwrap() > y + h, "the name is below the logo");
    }

    #[test]
    fn renders_svg_and_png_logos() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#0b5d3b"/></svg>"##;
        // A 1×1 PNG, written by the png crate.
        let mut png_bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png_bytes, 1, 1);
            encoder.set_color(png::ColorType::Rgb);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[11, 93, 59]).unwrap();
        }
        for (format, bytes) in [(LogoFormat::Svg, svg.to_vec()), (LogoFormat::Png, png_bytes)] {
            let printed = PrintedLetterhead { letterhead: Letterhead::default(), logo: Some((format, bytes)) };
            let with_logo = render_invoice(&sample_invoice(1), &printed).unwrap();
            let without = render_invoice(&sample_invoice(1), &plain()).unwrap();
            assert!(with_logo.starts_with(b"%PDF-"));
            assert_ne!(with_logo, without, "{format:?} logo drawn");
            assert_eq!(with_logo, render_invoice(&sample_invoice(1), &printed).unwrap(), "rendering is deterministic");
        }
    }

    fn in_locale(tag: &str, lines: usize) -> Invoice {
        let mut invoice = sample_invoice(lines);
        invoice.locale = tag.parse().unwrap();
        invoice
    }

    #[test]
    fn a_german_invoice_has_german_words_money_dates_and_rates() {
        let mut invoice = in_locale("de", 1);
        invoice.lines[0].unit_price_minor = 123_450;
        let texts = texts(&layout(&invoice, &Letterhead::default(), None));
        for expected in [
            "RECHNUNG", "Nr. INV-000042", "Ausgestellt am 24.11.2026", "Bezahlt am 24.11.2026", "BEZAHLT",
            "RECHNUNGSEMPFÄNGER", "USt-IdNr. NL859231476B01", "BESCHREIBUNG", "MENGE", "EINZELPREIS", "STEUER", "BETRAG",
            "1.234,50\u{A0}\u{20AC}", "60,00\u{A0}\u{20AC}", "21\u{A0}%", "Zwischensumme", "USt. 21\u{A0}%", "12,60\u{A0}\u{20AC}",
            "Gesamtbetrag EUR", "72,60\u{A0}\u{20AC}", "Offener Betrag", "0,00\u{A0}\u{20AC}", "Seite 1 von 1",
            "Harbourside Coworking B.V. · USt-IdNr. NL859231476B01 · Vielen Dank für Ihren Auftrag.",
        ] {
            assert!(texts.iter().any(|t| t == expected), "missing {expected:?} in {texts:?}");
        }
        for english in ["INVOICE", "Issued", "PAID", "BILL TO", "Subtotal", "VAT", "Total", "Page", "\u{20AC}60.00"] {
            assert!(!texts.iter().any(|t| t.contains(english)), "{english:?} left in {texts:?}");
        }
    }

    #[test]
    fn a_long_german_invoice_continues_in_german() {
        let doc = layout(&in_locale("de", 60), &Letterhead::default(), None);
        let texts = texts(&doc);
        assert!(texts.iter().any(|t| t == "INV-000042 (Fortsetzung)"), "{texts:?}");
        assert!(texts.iter().any(|t| t == &format!("Seite 2 von {}", doc.pages.len())));
    }

    /// Where a text is anchored, which edge it is aligned by, its direction.
    fn anchor(doc: &Layout, wanted: &str) -> (f32, Align, Base) {
        doc.pages
            .iter()
            .flatten()
            .find_map(|op| match op {
                Op::Text { text, x, align, base, .. } if visible(text) == wanted => Some((*x, *align, *base)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {wanted:?} in {:?}", texts(doc)))
    }

    #[test]
    fn an_arabic_invoice_is_the_mirror_image_of_an_english_one() {
        let english = layout(&sample_invoice(3), &Letterhead::default(), None);
        let arabic = layout(&in_locale("ar", 3), &Letterhead::default(), None);
        // Text for text, each anchored at the English one's reflection and aligned by the other edge.
        let anchors = |doc: &Layout| -> Vec<(f32, f32, Align)> {
            doc.pages
                .iter()
                .flatten()
                .filter_map(|op| match op {
                    Op::Text { x, y, align, .. } => Some((*x, *y, *align)),
                    _ => None,
                })
                .collect()
        };
        let (english_anchors, arabic_anchors) = (anchors(&english), anchors(&arabic));
        assert_eq!(english_anchors.len(), arabic_anchors.len());
        for ((en_x, en_y, en_align), (ar_x, ar_y, ar_align)) in english_anchors.into_iter().zip(arabic_anchors) {
            assert!((ar_x - (PAGE_W - en_x)).abs() < 0.01 && en_y == ar_y, "{ar_x} is not {en_x} mirrored");
            assert_eq!(ar_align, en_align.mirrored());
        }
        // The seller at the right, the title block at the left.
        let (seller_x, seller_align, _) = anchor(&arabic, "Harbourside Coworking B.V.");
        assert!((seller_x - RIGHT).abs() < 0.01 && seller_align == Align::Right);
        assert!((anchor(&arabic, "فاتورة").0 - LEFT).abs() < 0.01);
        // The description column on the right, the amounts on the left.
        let (description_x, ..) = anchor(&arabic, "الوصف");
        let (amount_x, amount_align, _) = anchor(&arabic, "المبلغ");
        let (line_x, line_align, _) = anchor(&arabic, "Meeting room booking number 0");
        assert!(description_x > amount_x && line_x > amount_x, "{description_x} {line_x} {amount_x}");
        assert_eq!((line_align, amount_align), (Align::Right, Align::Left));
        // The PAID stamp's box moved with its text, to the left margin.
        let stamp = arabic.pages[0].iter().find_map(|op| match op {
            Op::Rect { x, color: PAID_GREEN, .. } => Some(*x),
            _ => None,
        });
        assert!((stamp.unwrap() - LEFT).abs() < 0.01, "{stamp:?}");
    }

    #[test]
    fn an_arabic_invoice_s_words_are_right_to_left_and_names_keep_their_own_direction() {
        let arabic = layout(&in_locale("ar", 1), &Letterhead::default(), None);
        for words in ["فاتورة", "المجموع الفرعي", "صفحة 1 من 1", "60.00\u{A0}\u{20AC}"] {
            assert_eq!(anchor(&arabic, words).2, Base::RightToLeft, "{words}");
        }
        for own in ["Zoë Ångström", "zoe@example.com", "Meeting room booking number 0", "Harbourside Coworking B.V."] {
            assert_eq!(anchor(&arabic, own).2, Base::Own, "{own}");
        }
        let english = layout(&sample_invoice(1), &Letterhead::default(), None);
        assert_eq!(anchor(&english, "Subtotal").2, Base::LeftToRight);
    }

    /// The text of each glyph, in the order they are drawn, left to right.
    fn as_drawn(text: &str, base: Base) -> String {
        let shaped = FONTS.regular.shape(text, 10.0, base);
        shaped.glyphs.iter().map(|glyph| &text[glyph.text_range.clone()]).collect()
    }

    #[test]
    fn in_an_arabic_label_the_invoice_number_reads_left_to_right_left_of_the_label() {
        let ar = "ar".parse().unwrap();
        let line = crate::tr!(ar, "pdf-invoice-number", number = "INV-000042");
        let drawn = as_drawn(&line, Base::RightToLeft);
        assert!(drawn.starts_with("INV-000042"), "{drawn:?}");
        // The label, right of the number, drawn right to left: its first letter rightmost.
        assert_eq!(drawn.chars().filter(|c| !c.is_ascii()).collect::<String>(), "مقر");
        let continued = crate::tr!(ar, "pdf-continued", number = "INV-000042");
        assert!(as_drawn(&continued, Base::RightToLeft).ends_with("INV-000042"), "the number comes first, at the right");
    }

    #[test]
    fn text_standing_on_its_own_keeps_its_direction_in_a_right_to_left_invoice() {
        // As a right-to-left paragraph, the full stop that ends it would be drawn at its far left.
        assert_eq!(as_drawn("Coworking B.V.", Base::RightToLeft), ".Coworking B.V");
        assert_eq!(as_drawn("Coworking B.V.", Base::Own), "Coworking B.V.");
        // An Arabic name or address is still right to left.
        assert_eq!(as_drawn("شارع 12", Base::Own), "12 عراش");
    }

    #[test]
    fn bidi_controls_are_neither_drawn_nor_copied() {
        let ar = "ar".parse().unwrap();
        let eur = |minor| format::money(ar, Money::new(minor, crate::domain::Currency::EUR));
        let lines = [
            crate::tr!(Locale::FALLBACK, "pdf-issued", date = "24 Nov 2026"),
            crate::tr!(ar, "pdf-tax-at-rate", rate = format::percent(ar, TaxRate::from_basis_points(2100).unwrap())),
            eur(123_450),
            eur(-123_450),
            format::date(ar, crate::domain::Timestamp::from_millis(1_796_634_300_000)),
        ];
        for line in lines {
            assert!(line.contains(is_bidi_control), "{line:?} has a control to drop");
            for base in [Base::LeftToRight, Base::RightToLeft, Base::Own] {
                let shaped = FONTS.regular.shape(&line, 10.0, base);
                // Arabic letters may join into fewer glyphs, never more: one per visible character at most.
                let visible_count = visible(&line).chars().count();
                assert!(shaped.glyphs.len() <= visible_count && !shaped.glyphs.is_empty(), "{line:?}");
                for glyph in &shaped.glyphs {
                    let copied = &line[glyph.text_range.clone()];
                    assert!(!copied.is_empty() && !copied.contains(is_bidi_control), "{line:?}: a glyph copies as {copied:?}");
                    assert_ne!(glyph.glyph_id, GlyphId::new(0), "{line:?}: .notdef drawn");
                }
                let plain = FONTS.regular.shape(&visible(&line), 10.0, base);
                assert!((shaped.width - plain.width).abs() < 0.01, "{line:?}: the controls take no room");
            }
        }
    }

    #[test]
    fn only_right_to_left_characters_leave_the_one_run_path() {
        for left_to_right in ['a', 'ö', '\u{20AC}', '\u{A0}', '\u{2068}', '\u{2069}', '\u{200E}', '·', '%', '7'] {
            assert!(!can_run_right_to_left(left_to_right), "{left_to_right:?}");
        }
        for right_to_left in ['ف', 'ש', '\u{200F}', '\u{061C}', '\u{0663}', '\u{2067}', '\u{202B}', '\u{202E}'] {
            assert!(can_run_right_to_left(right_to_left), "{right_to_left:?}");
        }
    }

    #[test]
    fn the_document_s_language_and_title_are_the_invoice_s() {
        for (tag, title) in [("en", "Invoice INV-000042"), ("de", "Rechnung INV-000042")] {
            let bytes = render_invoice(&in_locale(tag, 1), &plain()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains(&format!("/Lang({tag})")), "{tag}: no /Lang({tag})");
            assert!(text.contains(&format!("/Title({title})")), "{tag}: title");
        }
        let bytes = render_invoice(&in_locale("ar", 1), &plain()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Lang(ar)"));
        // XMP carries the title as UTF-8, without isolates.
        assert!(text.contains(">فاتورة INV-000042<"), "Arabic title");
    }

    #[test]
    fn arabic_and_german_invoices_render_deterministically_and_small() {
        for tag in ["ar", "de"] {
            let first = render_invoice(&in_locale(tag, 5), &plain()).unwrap();
            assert!(first.starts_with(b"%PDF-"));
            assert!(first.len() < 60 * 1024, "{tag}: PDF is {} bytes", first.len());
            assert_eq!(first, render_invoice(&in_locale(tag, 5), &plain()).unwrap(), "{tag}: deterministic");
        }
    }
}
