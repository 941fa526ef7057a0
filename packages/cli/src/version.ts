/** Version reported by `atlasguard --version` and written into reports. */
export const CLI_VERSION = '0.1.0';
