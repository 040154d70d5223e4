// zod's core namespace without `locales` (bundle-shims/zod-no-locales.js says why).
export * from "../node_modules/zod/v4/core/index.js";
export const locales = {};
export const compile = undefined;
