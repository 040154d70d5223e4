import type { ConfigBindings } from "./config";

// Bindings `wrangler types` cannot see (secrets set only in some environments, local-only endpoint
// overrides) come from the config schema, so `env` from cloudflare:workers knows them too.
declare global {
  namespace Cloudflare {
    interface Env extends ConfigBindings {}
  }
}

export type Bindings = Cloudflare.Env;
