export { webRoot } from './web-root.js';
