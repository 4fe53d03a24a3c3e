export { createGemini, type GeminiSettings } from './create-gemini.js';
