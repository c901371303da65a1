export { createDatabaseLikeOfficial } from './databases.js';
export {
  createExtensions,
  DATABASE_ENCODING,
  ExtensionMissingError,
  PRECREATED_EXTENSIONS,
  precreatedExtensions,
  serverAt,
} from './extensions.js';
