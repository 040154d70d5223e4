// Everything "zod" exports except what we never call and the bundle would otherwise keep:
// @hono/zod-openapi imports `{ z }` and extends it, so the whole namespace stays, with `locales`
// (64 translations of the error messages, also under `z.core`), `fromJSONSchema` and `compile`.
// A module's own export shadows the same name brought by `export *`.
export * from "../node_modules/zod/v4/classic/external.js";
export * as core from "./zod-core-no-locales.js";
export const locales = {};
export const fromJSONSchema = undefined;
export const compile = undefined;
