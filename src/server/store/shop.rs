//! The shop as the last applied shop file left it: every product ever
//! listed (archived ones included), the letterheads invoices print, the
//! logos they show, and the one settings row.

use std::collections::{BTreeMap, HashMap};

use sqlx::{AnyConnection, Row};

use super::catalogue::tax_rate;
use super::{decode_error, DbResult};
use crate::domain::locale::Locale;
use crate::domain::shop::{Accent, Letterhead, LogoFormat, LogoRef, ProductSpec, ProductText, Slug};
use crate::domain::Timestamp;

/// A product row, whatever its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProduct {
    pub id: i64,
    pub spec: ProductSpec,
    /// Dropped from the shop file: out of the catalogue for good, until a
    /// file lists its slug again.
    pub archived: bool,
}

/// Takes the shop's lock until the transaction ends: the settings row's
/// lock on PostgreSQL, the write lock on SQLite. Two applies (two instances
/// starting, or an operator and a deploy) run one after the other, and the
/// second sees what the first wrote.
pub async fn lock_shop(conn: &mut AnyConnection) -> DbResult<()> {
    sqlx::query("UPDATE shop_settings SET revision = revision WHERE id = 1").execute(conn).await?;
    Ok(())
}

pub async fn all_products(conn: &mut AnyConnection) -> DbResult<Vec<StoredProduct>> {
    let rows = sqlx::query(
        "SELECT id, slug, name, description, unit_price_minor, tax_rate_bp, position, max_quantity, active, archived_at
         FROM products ORDER BY position, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut translations = all_translations(conn).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let slug: String = row.try_get("slug")?;
            let max_quantity: i64 = row.try_get("max_quantity")?;
            Ok(StoredProduct {
                id,
                spec: ProductSpec {
                    slug: slug.parse::<Slug>().map_err(|_| decode_error(format_args!("product slug {slug:?}")))?,
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    unit_price_minor: row.try_get("unit_price_minor")?,
                    tax_rate: tax_rate(row.try_get("tax_rate_bp")?)?,
                    position: row.try_get("position")?,
                    max_quantity: u32::try_from(max_quantity).map_err(|_| decode_error(format_args!("max_quantity {max_quantity}")))?,
                    active: row.try_get::<i64, _>("active")? == 1,
                    translations: translations.remove(&id).unwrap_or_default(),
                },
                archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
            })
        })
        .collect()
}

/// Every product's translations, by product id.
async fn all_translations(conn: &mut AnyConnection) -> DbResult<HashMap<i64, BTreeMap<Locale, ProductText>>> {
    let rows = sqlx::query("SELECT product_id, locale, name, description FROM product_translations").fetch_all(conn).await?;
    let mut by_product: HashMap<i64, BTreeMap<Locale, ProductText>> = HashMap::new();
    for row in &rows {
        let tag: String = row.try_get("locale")?;
        // A language this version no longer speaks: nothing shows it.
        let Ok(locale) = tag.parse::<Locale>() else { continue };
        let text = ProductText { name: row.try_get("name")?, description: row.try_get("description")? };
        by_product.entry(row.try_get("product_id")?).or_default().insert(locale, text);
    }
    Ok(by_product)
}

/// Makes a product's stored translations exactly `translations`.
pub async fn write_translations(conn: &mut AnyConnection, product_id: i64, translations: &BTreeMap<Locale, ProductText>) -> DbResult<()> {
    sqlx::query("DELETE FROM product_translations WHERE product_id = $1").bind(product_id).execute(&mut *conn).await?;
    for (locale, text) in translations {
        sqlx::query("INSERT INTO product_translations (product_id, locale, name, description) VALUES ($1, $2, $3, $4)")
            .bind(product_id)
            .bind(locale.tag())
            .bind(text.name.as_deref())
            .bind(text.description.as_deref())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Inserts a product, or, if its slug is taken, writes every field of the
/// file's product over that row and takes it out of the archive: one
/// statement for "added" and "changed" alike. Returns its id.
pub async fn write_product(conn: &mut AnyConnection, product: &ProductSpec) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO products (slug, name, description, unit_price_minor, tax_rate_bp, position, max_quantity, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
             unit_price_minor = excluded.unit_price_minor, tax_rate_bp = excluded.tax_rate_bp,
             position = excluded.position, max_quantity = excluded.max_quantity, active = excluded.active,
             archived_at = NULL
         RETURNING id",
    )
    .bind(product.slug.as_str())
    .bind(&product.name)
    .bind(&product.description)
    .bind(product.unit_price_minor)
    .bind(i64::from(product.tax_rate.basis_points()))
    .bind(product.position)
    .bind(i64::from(product.max_quantity))
    .bind(i64::from(product.active))
    .fetch_one(conn)
    .await
}

pub async fn archive_product(conn: &mut AnyConnection, id: i64, now: Timestamp) -> DbResult<()> {
    sqlx::query("UPDATE products SET active = 0, archived_at = $2 WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .bind(now.millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// The settings row: the applied file's letterhead and currency (both
/// `None` before any file was applied) and how many applies changed anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopSettings {
    pub letterhead: Option<(i64, Letterhead)>,
    /// The language of the applied file (`None` before any file, or one applied before languages: English).
    pub locale: Option<Locale>,
    pub currency: Option<String>,
    pub revision: i64,
    /// The provider the server last started with (`ProviderKind::as_str`).
    pub payment_provider: Option<String>,
}

pub async fn settings(conn: &mut AnyConnection) -> DbResult<ShopSettings> {
    let row = sqlx::query("SELECT letterhead_id, currency, revision, payment_provider, locale FROM shop_settings WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let letterhead = match row.try_get::<Option<i64>, _>("letterhead_id")? {
        Some(id) => Some((id, letterhead(conn, id).await?.ok_or_else(|| decode_error(format_args!("letterhead {id}")))?)),
        None => None,
    };
    Ok(ShopSettings {
        letterhead,
        locale: row.try_get::<Option<String>, _>("locale")?.map(|tag| Locale::from_stored(&tag)),
        currency: row.try_get("currency")?,
        revision: row.try_get("revision")?,
        payment_provider: row.try_get("payment_provider")?,
    })
}

/// The applied file's currency code (`None` before any file).
pub async fn currency(conn: &mut AnyConnection) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT currency FROM shop_settings WHERE id = 1").fetch_one(conn).await
}

/// How many applies changed the shop: cheap enough to ask every few seconds.
pub async fn revision(conn: &mut AnyConnection) -> DbResult<i64> {
    sqlx::query_scalar("SELECT revision FROM shop_settings WHERE id = 1").fetch_one(conn).await
}

/// Records what an apply changed: the file's letterhead, currency and
/// language, and one more revision.
pub async fn record_settings(conn: &mut AnyConnection, letterhead_id: i64, currency: &str, locale: Locale, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE shop_settings SET letterhead_id = $1, currency = $2, revision = revision + 1, applied_at = $3, locale = $4 WHERE id = 1",
    )
    .bind(letterhead_id)
    .bind(currency)
    .bind(now.millis())
    .bind(locale.tag())
    .execute(conn)
    .await?;
    Ok(())
}

/// The provider the server starts with (written only when it changed).
pub async fn record_provider(conn: &mut AnyConnection, provider: &str) -> DbResult<()> {
    sqlx::query("UPDATE shop_settings SET payment_provider = $1 WHERE id = 1 AND (payment_provider IS NULL OR payment_provider <> $1)")
        .bind(provider)
        .execute(conn)
        .await?;
    Ok(())
}

/// An apply that changed products only: one more revision.
pub async fn bump_revision(conn: &mut AnyConnection, now: Timestamp) -> DbResult<()> {
    sqlx::query("UPDATE shop_settings SET revision = revision + 1, applied_at = $1 WHERE id = 1")
        .bind(now.millis())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn letterhead(conn: &mut AnyConnection, id: i64) -> DbResult<Option<Letterhead>> {
    let row = sqlx::query(
        "SELECT l.name, l.address_lines, l.translated_addresses, l.tax_id, l.email, l.accent, l.logo_sha256, a.media_type
         FROM letterheads l LEFT JOIN shop_assets a ON a.sha256 = l.logo_sha256
         WHERE l.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let address: String = row.try_get("address_lines")?;
    let translated: String = row.try_get("translated_addresses")?;
    let translated: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&translated).map_err(|_| decode_error(format_args!("letterhead {id} translated addresses")))?;
    let accent: String = row.try_get("accent")?;
    let logo = match (row.try_get::<Option<String>, _>("logo_sha256")?, row.try_get::<Option<String>, _>("media_type")?) {
        (Some(sha256), Some(media_type)) => Some(LogoRef {
            sha256,
            format: LogoFormat::from_media_type(&media_type).ok_or_else(|| decode_error(format_args!("logo type {media_type:?}")))?,
        }),
        _ => None,
    };
    Ok(Some(Letterhead {
        name: row.try_get("name")?,
        address_lines: serde_json::from_str(&address).map_err(|_| decode_error(format_args!("letterhead {id} address")))?,
        // A language this version no longer speaks prints the file's own address.
        translated_addresses: translated.into_iter().filter_map(|(tag, lines)| Some((tag.parse::<Locale>().ok()?, lines))).collect(),
        tax_id: row.try_get("tax_id")?,
        email: row.try_get("email")?,
        accent: accent.parse::<Accent>().map_err(|_| decode_error(format_args!("accent {accent:?}")))?,
        logo,
    }))
}

/// The id of the row holding exactly `letterhead`, written if there is none.
/// Its logo must be stored already (`store_logo`).
pub async fn letterhead_id(conn: &mut AnyConnection, letterhead: &Letterhead, now: Timestamp) -> DbResult<i64> {
    let fingerprint = letterhead.fingerprint();
    const FIND: &str = "SELECT id FROM letterheads WHERE fingerprint = $1";
    if let Some(id) = sqlx::query_scalar::<_, i64>(FIND).bind(&fingerprint).fetch_optional(&mut *conn).await? {
        return Ok(id);
    }
    let address = serde_json::to_string(&letterhead.address_lines).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let translated: BTreeMap<&str, &Vec<String>> =
        letterhead.translated_addresses.iter().map(|(locale, lines)| (locale.tag(), lines)).collect();
    let translated = serde_json::to_string(&translated).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO letterheads (fingerprint, name, address_lines, tax_id, email, accent, logo_sha256, created_at, translated_addresses)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (fingerprint) DO NOTHING",
    )
    .bind(&fingerprint)
    .bind(&letterhead.name)
    .bind(address)
    .bind(&letterhead.tax_id)
    .bind(&letterhead.email)
    .bind(letterhead.accent.hex())
    .bind(letterhead.logo.as_ref().map(|logo| logo.sha256.clone()))
    .bind(now.millis())
    .bind(translated)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar(FIND).bind(&fingerprint).fetch_one(conn).await
}

/// Keeps a logo's bytes under their SHA-256 (once; the same bytes twice are one row).
pub async fn store_logo(conn: &mut AnyConnection, logo: &LogoRef, bytes: &[u8], now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO shop_assets (sha256, media_type, bytes, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&logo.sha256)
    .bind(logo.format.media_type())
    .bind(bytes.to_vec())
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// A logo's format and bytes.
pub async fn logo(conn: &mut AnyConnection, sha256: &str) -> DbResult<Option<(LogoFormat, Vec<u8>)>> {
    let row = sqlx::query("SELECT media_type, bytes FROM shop_assets WHERE sha256 = $1").bind(sha256).fetch_optional(conn).await?;
    let Some(row) = row else { return Ok(None) };
    let media_type: String = row.try_get("media_type")?;
    let format = LogoFormat::from_media_type(&media_type).ok_or_else(|| decode_error(format_args!("logo type {media_type:?}")))?;
    Ok(Some((format, row.try_get("bytes")?)))
}

/// Invoices issued before letterheads were kept get the one they have been
/// printed with so far. Returns how many.
pub async fn fill_in_invoice_letterheads(conn: &mut AnyConnection, letterhead_id: i64) -> DbResult<u64> {
    let done = sqlx::query("UPDATE invoices SET letterhead_id = $1 WHERE letterhead_id IS NULL")
        .bind(letterhead_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Whether any invoice still lacks its letterhead (a read, so a start
/// with nothing to fill in writes nothing).
pub async fn invoices_lack_letterheads(conn: &mut AnyConnection) -> DbResult<bool> {
    let missing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM invoices WHERE letterhead_id IS NULL LIMIT 1").fetch_optional(conn).await?;
    Ok(missing.is_some())
}
