export { createCloudinaryStorage, type CloudinaryStorageSettings } from './create-cloudinary-storage.js';
export { parseCloudinaryUrl, type CloudinaryAccount } from './parse-cloudinary-url.js';
