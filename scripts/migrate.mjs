// npm run db:migrate — applies drizzle/ to DATABASE_URL (from the environment or .dev.vars).
import { readDevVars } from "./lib/dev-vars.mjs";
import { applyMigrations } from "../tools/local-stack/migrate.mjs";

const url = process.env.DATABASE_URL ?? readDevVars().DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set (environment or .dev.vars). `npm run dev` migrates its embedded database itself.",
  );
  process.exit(1);
}
await applyMigrations(url);
console.log("migrations applied");
