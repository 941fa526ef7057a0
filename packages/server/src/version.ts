/** Version written into server-side assessments and the OpenAPI document (the CLI's version). */
export const SERVER_VERSION = '0.1.0';
