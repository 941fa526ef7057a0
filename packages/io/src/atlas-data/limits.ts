/** Largest ATLAS.yaml accepted from a download or a local file; releases are about 0.5 MB. */
export const MAX_DOWNLOAD_BYTES = 16 * 1024 * 1024;

/** Time limit of one download. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;
