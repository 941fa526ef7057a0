/**
 * Version of the normalized `CatalogData` shape. Bump it whenever `buildCatalog` changes what it produces:
 * parsed catalogs cached on disk are keyed by it, so a bump makes every cached entry stale.
 */
export const CATALOG_FORMAT_VERSION = 1;
