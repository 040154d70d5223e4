// node scripts/try-seat-proofs.mjs --url http://127.0.0.1:8787 --internal-key dev-only-internal-key
// Tries DPoP-bound seats from outside, as an attacker with a copied machine id would (issue 27):
// issues a license, activates a seat with one install's key, then from a second install (another
// key, the same machine_id) validates and deactivates it, activates its own seat, and replays a
// captured proof. Prints each answer; exits 1 on the first that is not what the contract says.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { newInstallKey, signProof } from "../tools/dpop/proof.mjs";

const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    "internal-key": { type: "string", default: process.env.INTERNAL_API_KEY ?? "dev-only-internal-key" },
  },
});
const base = opts.url.replace(/\/+$/, "");

let failed = false;
function check(label, ok, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} ${label}: ${detail}`);
  if (!ok) failed = true;
}
async function post(path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? JSON.parse(text) : undefined,
    challenge: res.headers.get("www-authenticate"),
  };
}
const proof = (key, op) => signProof(key, { htm: "POST", htu: `${base}/licenses/${op}` });
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

const issued = await post(
  "/licenses/generate",
  { email: `seat-proof-${randomUUID()}@example.test`, product: "simpl-resultat", tier: "base", duration_days: 30 },
  { authorization: `Bearer ${opts["internal-key"]}` },
);
if (issued.status !== 201 && issued.status !== 200) {
  console.log(`cannot issue a license: ${issued.status} ${JSON.stringify(issued.json)}`);
  process.exit(1);
}
const key = issued.json.key;
const machine_id = `copied-machine-${randomUUID()}`;
const [owner, copier] = [await newInstallKey(), await newInstallKey()];
console.log(`machine_id ${machine_id}`);
console.log(`owner jkt ${owner.jkt}, copier jkt ${copier.jkt}`);

const captured = await proof(owner, "activate");
const a = await post("/licenses/activate", { key, machine_id }, { DPoP: captured });
const cnf = a.json?.lease ? claimsOf(a.json.lease).cnf : undefined;
check(
  "owner activates with a proof",
  a.status === 200 && cnf?.jkt === owner.jkt,
  `${a.status}, lease cnf ${JSON.stringify(cnf)}`,
);

const v = await post("/licenses/validate", { key, machine_id }, { DPoP: await proof(owner, "validate") });
check("owner validates", v.json?.code === "valid", `${v.status} ${v.json?.code}`);

const cv = await post("/licenses/validate", { key, machine_id }, { DPoP: await proof(copier, "validate") });
check(
  "copier (same machine_id, another key) cannot validate",
  cv.json?.code === "invalid_proof",
  `${cv.status} ${JSON.stringify(cv.json)}`,
);

const nv = await post("/licenses/validate", { key, machine_id });
check("no proof cannot validate the bound seat", nv.json?.code === "invalid_proof", `${nv.status} ${nv.json?.code}`);

const cd = await post("/licenses/deactivate", { key, machine_id }, { DPoP: await proof(copier, "deactivate") });
check(
  "copier cannot free the owner's seat",
  cd.status === 401 && cd.json?.code === "invalid_proof",
  `${cd.status} ${cd.json?.code}, WWW-Authenticate: ${cd.challenge}`,
);

const ca = await post("/licenses/activate", { key, machine_id }, { DPoP: await proof(copier, "activate") });
const copierCnf = ca.json?.lease ? claimsOf(ca.json.lease).cnf : undefined;
check(
  "copier takes a seat of its own",
  ca.status === 200 && copierCnf?.jkt === copier.jkt,
  `${ca.status}, lease cnf ${JSON.stringify(copierCnf)}`,
);

const r = await post("/licenses/activate", { key, machine_id }, { DPoP: captured });
check(
  "the captured proof replayed is refused",
  r.status === 401 && r.json?.code === "invalid_proof",
  `${r.status} ${r.json?.code}, WWW-Authenticate: ${r.challenge}`,
);

const again = await post("/licenses/validate", { key, machine_id }, { DPoP: await proof(owner, "validate") });
check("the owner's seat is still the owner's", again.json?.code === "valid", `${again.status} ${again.json?.code}`);

process.exit(failed ? 1 : 0);
