export { createRunware, type RunwareSettings } from './create-runware.js';
