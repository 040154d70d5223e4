/** The deployment's configuration is unusable; names only, never values (they may be secrets). */
export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    super(`invalid configuration: ${variables.join(", ")}`);
    this.name = "ConfigError";
  }
}
