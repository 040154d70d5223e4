// The "zod" package's own index (node_modules/zod/index.js), over bundle-shims/zod-no-locales.js.
import * as z from "./zod-no-locales.js";
export * from "./zod-no-locales.js";
export { z };
export default z;
