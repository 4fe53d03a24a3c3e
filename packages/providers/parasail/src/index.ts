export { createParasail, type ParasailSettings } from './create-parasail.js';
