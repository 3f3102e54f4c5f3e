//! The operator's logo: checked once when a shop file is read, then kept by
//! the SHA-256 of its bytes. An SVG is read with everything outside its own
//! bytes shut off (no linked images, no system fonts), so what an invoice
//! draws depends on the stored bytes alone and never on the server's disk.

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::domain::shop::{LogoFormat, LogoRef};

/// A PNG logo's largest side, in pixels.
const MAX_LOGO_SIDE: u32 = 4096;

/// A logo's bytes and the name they are kept under.
#[derive(Clone, PartialEq, Eq)]
pub struct LogoAsset {
    pub reference: LogoRef,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for LogoAsset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogoAsset").field("reference", &self.reference).field("bytes", &self.bytes.len()).finish()
    }
}

impl LogoAsset {
    /// Checks `bytes` are a readable logo in `format` and names them.
    pub fn new(format: LogoFormat, bytes: Vec<u8>) -> Result<Self, String> {
        check(format, &bytes)?;
        let sha256 = crate::domain::ids::sha256_hex(&bytes, 32);
        Ok(Self { reference: LogoRef { sha256, format }, bytes })
    }
}

/// Whether `bytes` are a logo the pages, emails and the invoice PDF can show.
fn check(format: LogoFormat, bytes: &[u8]) -> Result<(), String> {
    match format {
        LogoFormat::Png => {
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
            let mut reader = decoder.read_info().map_err(|e| format!("not a readable PNG ({e})"))?;
            let (width, height) = (reader.info().width, reader.info().height);
            if width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE {
                return Err(format!("{width}×{height} pixels; a logo can be at most {MAX_LOGO_SIDE} on each side"));
            }
            let mut pixels = vec![0; reader.output_buffer_size().ok_or("a PNG too large to decode")?];
            reader.next_frame(&mut pixels).map_err(|e| format!("not a readable PNG ({e})"))?;
            Ok(())
        }
        LogoFormat::Svg => {
            let linked = Arc::new(Mutex::new(Vec::new()));
            let tree = read_svg_noting(bytes, Some(linked.clone()))?;
            if let Some(href) = linked.lock().unwrap_or_else(|p| p.into_inner()).first() {
                let shown: String = href.chars().take(60).collect();
                return Err(format!("it links to another file ({shown:?}); embed the image in the SVG (a data: URI) instead"));
            }
            let size = tree.size();
            if size.width() <= 0.0 || size.height() <= 0.0 {
                return Err("an SVG without a size (give it a viewBox)".into());
            }
            Ok(())
        }
    }
}

/// An SVG logo as the invoice PDF draws it: linked files are never read,
/// and text is set in the bundled DejaVu Sans (the server's own fonts are
/// never consulted), so the same bytes always draw the same.
pub fn read_svg(bytes: &[u8]) -> Result<usvg::Tree, String> {
    read_svg_noting(bytes, None)
}

fn read_svg_noting(bytes: &[u8], linked: Option<Arc<Mutex<Vec<String>>>>) -> Result<usvg::Tree, String> {
    let options = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(move |href: &str, _: &usvg::Options| {
                if let Some(linked) = &linked {
                    linked.lock().unwrap_or_else(|p| p.into_inner()).push(href.to_owned());
                }
                None
            }),
        },
        font_family: "DejaVu Sans".to_owned(),
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_data(bytes, &options).map_err(|e| format!("not a readable SVG ({e})"))
}

/// The bundled fonts, parsed once, and every generic family mapped to them.
static FONTS: std::sync::LazyLock<Arc<usvg::fontdb::Database>> = std::sync::LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    for font in crate::server::pdf::BUNDLED_FONTS {
        fonts.load_font_data(font.to_vec());
    }
    fonts.set_sans_serif_family("DejaVu Sans");
    fonts.set_serif_family("DejaVu Sans");
    fonts.set_monospace_family("DejaVu Sans");
    fonts.set_cursive_family("DejaVu Sans");
    fonts.set_fantasy_family("DejaVu Sans");
    Arc::new(fonts)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_that_links_another_file_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><image width="10" height="10" xlink:href="/etc/passwd.png"/></svg>"#;
        let error = LogoAsset::new(LogoFormat::Svg, svg.to_vec()).unwrap_err();
        assert!(error.starts_with("it links to another file (\"/etc/passwd.png\")"), "{error}");
    }

    #[test]
    fn an_svg_with_an_embedded_image_is_taken() {
        // A 1×1 PNG as a data: URI.
        let mut png_bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png_bytes, 1, 1);
            encoder.set_color(png::ColorType::Rgb);
            encoder.write_header().unwrap().write_image_data(&[11, 93, 59]).unwrap();
        }
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(&png_bytes);
        let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image width="10" height="10" href="data:image/png;base64,{data}"/></svg>"#);
        assert!(LogoAsset::new(LogoFormat::Svg, svg.into_bytes()).is_ok());
    }

    #[test]
    fn text_in_an_svg_is_set_in_the_bundled_font() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><text x="0" y="15" font-family="Brand Sans">Kanal</text></svg>"#;
        let tree = read_svg(svg).unwrap();
        assert!(tree.root().has_children(), "the text was laid out, not dropped");
        assert!(tree.root().abs_bounding_box().width() > 10.0);
    }

    #[test]
    fn pngs_are_decoded_whole_and_bounded() {
        let broken = b"\x89PNG\r\n\x1a\nnot really".to_vec();
        assert!(LogoAsset::new(LogoFormat::Png, broken).unwrap_err().starts_with("not a readable PNG"));
    }
}
