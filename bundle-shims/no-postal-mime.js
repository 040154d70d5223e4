// Stands in for postal-mime (~23 KiB gzip), which the resend SDK imports only to parse inbound email,
// a feature we never use: sending stays the SDK's own code. Aliased in wrangler.toml.
export default class PostalMime {
  static parse() {
    throw new Error("postal-mime is not bundled: this Worker does not receive email");
  }
  parse() {
    return PostalMime.parse();
  }
}
