// The layers of src/ (docs/architecture.md, issue 14): routes → services → db/queries, imports only go
// down. services/ is the one layer that orchestrates writes (Stripe events included, in
// services/stripe-events/). integrations/ and queue/ are adapters that services reach through the
// context, domain/ and lib/ are pure. `npm run lint` checks these rules; type-only imports count (tsPreCompilationDeps).
const below = "^src/(services|domain|lib|db|integrations|queue)/";

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle ties its modules together: none can be read, tested or moved alone. Type-only imports count.",
      from: {},
      to: { circular: true },
    },
    {
      name: "drizzle-only-in-db",
      severity: "error",
      comment: "Only src/db/ speaks SQL: everything else asks a query module of src/db/queries/.",
      from: { path: "^src/", pathNot: "^src/db/" },
      to: { path: "(^|/)node_modules/drizzle-orm/" },
    },
    {
      name: "no-hono-below-routes",
      severity: "error",
      comment: "HTTP stays in routes/ (and app.ts, middleware): services and what they use never see a Hono context.",
      from: { path: below },
      to: { path: "(^|/)node_modules/(hono|@hono/[^/]+)/" },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment:
        "domain/ holds the rules (products, statuses, domain errors): it imports nothing of ours outside domain/.",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "lib-is-pure",
      severity: "error",
      comment: "lib/ holds pure helpers: only lib/ and domain/, never a module of ours that does I/O.",
      from: { path: "^src/lib/" },
      to: { path: "^src/", pathNot: "^src/(lib|domain)/" },
    },
    {
      name: "errors-sit-low",
      severity: "error",
      comment:
        "errors.ts (the codes, the errors we throw, toFailure) is imported by everything that throws or answers: it imports only db/classify-error.ts, domain/ and lib/, never openapi/, an adapter or a workflow.",
      from: { path: "^src/errors\\.ts$" },
      to: { path: "^src/", pathNot: "^src/(db/classify-error\\.ts$|domain/|lib/)" },
    },
    {
      name: "routes-are-the-top",
      severity: "error",
      comment:
        "Nothing below the routes imports them (nor routes/_shared/): services, db, queue and adapters never depend on HTTP handlers.",
      from: { path: below },
      to: { path: "^src/routes/" },
    },
    {
      name: "stripe-events-are-entered-from-the-queue",
      severity: "error",
      comment:
        "services/stripe-events/ applies verified events; the queue consumer and the admin replay start it, never db/, domain/, lib/ or adapters.",
      from: { path: "^src/(domain|lib|db|integrations)/" },
      to: { path: "^src/services/stripe-events/" },
    },
    {
      name: "services-reach-adapters-through-ctx",
      severity: "error",
      comment:
        "Services reach Stripe, Logto, Resend and the queue through the context (ctx.jobs.enqueue, ctx.stripe...), never by import.",
      from: { path: "^src/services/" },
      // payload.ts only reads fields of Stripe's types (no client, no I/O): event handlers need it.
      to: { path: "^src/(integrations|queue)/", pathNot: "^src/integrations/stripe/payload\\.ts$" },
    },
    {
      name: "db-is-the-bottom",
      severity: "error",
      comment: "db/ is the lowest layer: it imports only db/, domain/ and lib/.",
      from: { path: "^src/db/" },
      to: { path: "^src/", pathNot: "^src/(db|domain|lib)/" },
    },
    {
      name: "adapters-do-not-import-workflows",
      severity: "error",
      comment: "integrations/ are adapters: they are called by workflows (services, queue), never the other way round.",
      from: { path: "^src/integrations/" },
      to: { path: "^src/(services|queue|db)/" },
    },
    {
      name: "src-never-imports-tools",
      severity: "error",
      comment: "tools/ is development and test infrastructure: the Worker must not bundle it.",
      from: { path: "^src/" },
      to: { path: "^(tools|test|scripts|bench)/" },
    },
    {
      name: "tools-stand-alone",
      severity: "error",
      comment: "test/, scripts/ and bench/ share tools/; tools/ depends on none of them, so each can change alone.",
      from: { path: "^tools/" },
      to: { path: "^(test|scripts|bench)/" },
    },
    {
      name: "test-scripts-bench-share-only-tools",
      severity: "error",
      comment:
        "test/, scripts/ and bench/ each import src/ and tools/, never one another: what two of them need lives in tools/.",
      from: { path: "^(test|scripts|bench)/" },
      to: { path: "^(test|scripts|bench)/", pathNot: "^$1/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing (a typo, a deleted file) fails here rather than at deploy time.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // The Workers runtime's own modules (resolved by workerd, not from node_modules).
    builtInModules: { add: ["cloudflare:workers", "cloudflare:test", "cloudflare:email", "cloudflare:sockets"] },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
