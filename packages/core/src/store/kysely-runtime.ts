/**
 * The values core takes from Kysely at run time (types come from `kysely` itself, where they are).
 *
 * In the built package this module is replaced by one file bundling just these exports
 * (`scripts/bundle-kysely.mjs`, run by `npm run build`): Kysely ships ~280 ES modules, and loading
 * them one by one took ~165 ms of a server's cold start on Node 20; the bundle loads in ~25 ms. Unbuilt
 * (tests, `tsx`) and if the bundling step has not run, it re-exports the package as it is: the same
 * classes, only slower to load.
 */
export { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
