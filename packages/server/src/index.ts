export * from './app.js';
export * from './api-error.js';
export * from './context.js';
export * from './permissions.js';
export * from './start-server.js';
export { SESSION_COOKIE } from './routes-auth.js';
export { OPENAPI_PATH, renderOpenApiDocument } from './openapi-document.js';
