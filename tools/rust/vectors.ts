// The shared test vectors of clients/rust (tests/vectors.json), built with the service's own signing code
// from fixed keys and fixed times, so the same input always gives the same file (Ed25519 is deterministic).
// `npm run vectors:rust` writes them; test/integration/rust-vectors.test.ts fails when the file is stale.
import { base64url, CompactSign, importJWK, SignJWT } from "jose";
import { loadKeyring, type Keyring } from "../../src/lib/licensing/keyring";
import { signLease, signLicenseKey } from "../../src/lib/licensing/license-token";
import { formatLicenseKey } from "../../src/lib/licensing/verify-offline";
import { installKeyFrom, signProof } from "../../tools/dpop/proof.mjs";
import type { Product, Tier } from "../../src/domain/products";

const VECTORS_ISSUER = "https://api.maximus.example";
/** 2027-01-15T08:00:00Z: every vector is checked as of this instant. */
const VECTORS_NOW = 1_800_000_000;
const DAY = 86_400;

// The dev key of .dev.vars.example (public on purpose), a retired key still in the JWKS, and a stranger's.
const CURRENT = {
  kty: "OKP",
  crv: "Ed25519",
  x: "FDjTyKkg8WJ1wJtaYWQttrVZ1wUAzBnbyx3EOCvmums",
  d: "5jqdFRFFLV0fjS4xSjF8buiymQfI5e9Itu1Bxw8k3iw",
  kid: "dev-2026-11",
};
const RETIRED = {
  kty: "OKP",
  crv: "Ed25519",
  x: "RuB3WNxK0P_Axf23dV95gTiDe9jVFpG6mOMGJDvTaG0",
  d: "bsP4HWsVsf8h5OW8M-YvWQvKE3vauXgqlHKWmGxhQZQ",
  kid: "vectors-retired",
};
const STRANGER = {
  kty: "OKP",
  crv: "Ed25519",
  x: "mcvnm8ROx36dQiIlFw7ZWuZ_br6z171BwgjDq2_gqO0",
  d: "Wx9I-q8pb65QGCWufMeGkxnOt2wOb6AjQtbmHKvMUes",
  kid: "stranger",
};

export const VECTORS_SIGNING_KEYS = JSON.stringify([CURRENT, RETIRED]);

// An install's DPoP key: RFC 8037 Appendix A.1's Ed25519 key, whose RFC 7638 thumbprint A.3 publishes
// (kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k), so the crate checks its thumbprint against the RFC too.
const INSTALL = {
  kty: "OKP",
  crv: "Ed25519",
  x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
  d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
};
const OTHER_INSTALL = {
  kty: "OKP",
  crv: "Ed25519",
  x: "3sv6tKkJcdZf-iNWsMG6yUAqpnXb_rg4BHSA9_pSD5Y",
  d: "DDZC4fmEAfYbAkGnXGTpBlYiMr5gukKqkRbVv8xInK4",
};
/** The window the service's proof check uses by default (DPOP_MAX_AGE_SECONDS). */
const VECTORS_PROOF_MAX_AGE = 60;

const MACHINE = "machine-0123456789abcdef";
const OTHER_MACHINE = "machine-fedcba9876543210";
const LICENSE_IDS = {
  "simpl-resultat": "11111111-1111-4111-8111-111111111111",
  "simpl-liste": "22222222-2222-4222-8222-222222222222",
} as const;

/** What the Rust verifier must answer: `valid`, `expired` (authentic, past exp), or the error's kind. */
export type Expectation =
  | "valid"
  | "expired"
  | "format"
  | "product"
  | "algorithm"
  | "type"
  | "unknown_kid"
  | "signature"
  | "issuer"
  | "audience"
  | "claims"
  | "tier"
  | "machine"
  | "license";

interface KeyVector {
  name: string;
  key: string;
  product: Product;
  expect: Expectation;
}
interface LeaseVector {
  name: string;
  lease: string;
  product: Product;
  license_id: string;
  machine_id: string;
  expect: Expectation;
}
/** What the service's DPoP check answers (src/lib/licensing/dpop-proof.ts): valid, or the check that fails. */
type ProofExpectation = "valid" | "signature" | "private_key" | "typ" | "htm" | "htu" | "iat" | "jti";
interface ProofVector {
  name: string;
  proof: string;
  method: string;
  url: string;
  /** The install's thumbprint (RFC 7638), as `cnf.jkt` of its seat's lease. */
  jkt: string;
  expect: ProofExpectation;
}
interface ThumbprintVector {
  name: string;
  jwk: { kty: string; crv: string; x: string };
  jkt: string;
}
/** A lease of a bound seat, checked by an install whose key has thumbprint `install_jkt`. */
interface BoundLeaseVector extends Omit<LeaseVector, "expect"> {
  install_jkt: string;
  expect: "valid" | "jkt";
}
export interface Vectors {
  comment: string;
  issuer: string;
  now: number;
  leeway: number;
  jwks: { keys: Keyring["publicJwks"] };
  keys: KeyVector[];
  leases: LeaseVector[];
  proof_max_age: number;
  thumbprints: ThumbprintVector[];
  proofs: ProofVector[];
  bound_leases: BoundLeaseVector[];
}

const at = (sec: number) => new Date(sec * 1000);
const jwtOf = (key: string) => key.split("-").slice(2).join("-");
const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
const parts = (jwt: string) => jwt.split(".") as [string, string, string];
const payloadOf = (jwt: string) =>
  JSON.parse(new TextDecoder().decode(base64url.decode(parts(jwt)[1]))) as Record<string, unknown>;

async function signRaw(
  jwk: typeof CURRENT,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<string> {
  const key = await importJWK(jwk, "EdDSA");
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(key);
}

export async function buildVectors(): Promise<Vectors> {
  const keyring = await loadKeyring(VECTORS_SIGNING_KEYS);
  const retiredKeyring = await loadKeyring(JSON.stringify([RETIRED]));
  const now = VECTORS_NOW;

  const key = async (
    product: Product,
    tier: Tier,
    o: { exp?: number; ring?: Keyring; email?: string; maxMachines?: number } = {},
  ) => {
    const signed = await signLicenseKey(o.ring ?? keyring, {
      issuer: VECTORS_ISSUER,
      licenseId: LICENSE_IDS[product],
      product,
      tier,
      jti: `jti-${product}-${tier}-${o.exp ?? "year"}`,
      issuedAt: at(now - DAY),
      expiresAt: at(o.exp ?? now + 365 * DAY),
      maxMachines: o.maxMachines ?? null,
    });
    if (!o.email) return signed.key;
    // A key as issued before keys stopped carrying the buyer's email: installed apps still hold them.
    const jwt = jwtOf(signed.key);
    const { tier: claimedTier, ...rest } = payloadOf(jwt);
    const [header] = parts(jwt);
    const legacyClaims = { tier: claimedTier, email: o.email, ...rest };
    const legacyHeader = JSON.parse(new TextDecoder().decode(base64url.decode(header)));
    return formatLicenseKey(product, tier, await signRaw(CURRENT, legacyHeader, legacyClaims));
  };
  const lease = (o: { machine?: string; product?: Product; exp?: number; jkt?: string } = {}) =>
    signLease(keyring, {
      issuer: VECTORS_ISSUER,
      licenseId: LICENSE_IDS[o.product ?? "simpl-resultat"],
      product: o.product ?? "simpl-resultat",
      tier: "premium",
      machineId: o.machine ?? MACHINE,
      jkt: o.jkt,
      issuedAt: at(now - DAY),
      expiresAt: at(o.exp ?? now + 6 * DAY),
    });

  const srBase = await key("simpl-resultat", "base");
  const srPremium = await key("simpl-resultat", "premium", { email: "buyer@example.test", maxMachines: 5 });
  const goodLease = await lease();
  const claims = payloadOf(jwtOf(srPremium));
  const header = { alg: "EdDSA", typ: "JWT", kid: CURRENT.kid };
  const tamperedExp = (jwt: string) => {
    const [h, p, s] = parts(jwt);
    void p;
    return `${h}.${enc({ ...payloadOf(jwt), exp: (payloadOf(jwt).exp as number) + 365 * DAY })}.${s}`;
  };
  const algNone = (jwt: string, typ: string, keepSignature: boolean) =>
    `${enc({ alg: "none", typ })}.${parts(jwt)[1]}.${keepSignature ? parts(jwt)[2] : ""}`;
  // The classic confusion attack: HMAC keyed with the public key the verifier holds.
  const hs256 = (payload: Record<string, unknown>, typ: string) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", typ, kid: CURRENT.kid })
      .sign(new TextEncoder().encode(CURRENT.x));
  const sr = "simpl-resultat" as const;

  const keys: KeyVector[] = [
    { name: "SR base", key: srBase, product: sr, expect: "valid" },
    { name: "SR premium with email and max_machines", key: srPremium, product: sr, expect: "valid" },
    { name: "SL base", key: await key("simpl-liste", "base"), product: "simpl-liste", expect: "valid" },
    { name: "SL premium", key: await key("simpl-liste", "premium"), product: "simpl-liste", expect: "valid" },
    {
      name: "signed by the retired key, still in the JWKS",
      key: await key(sr, "premium", { ring: retiredKeyring }),
      product: sr,
      expect: "valid",
    },
    {
      name: "exp 30 s ago, within the 60 s leeway",
      key: await key(sr, "base", { exp: now - 30 }),
      product: sr,
      expect: "valid",
    },
    {
      name: "expired an hour ago (authentic: the server decides)",
      key: await key(sr, "base", { exp: now - 3600 }),
      product: sr,
      expect: "expired",
    },
    { name: "another product's key", key: await key("simpl-liste", "premium"), product: sr, expect: "product" },
    {
      name: "relabelled prefix: SR token under SL",
      key: `SL-BASE-${jwtOf(srBase)}`,
      product: "simpl-liste",
      expect: "audience",
    },
    {
      name: "relabelled tier: base token under PREMIUM",
      key: `SR-PREMIUM-${jwtOf(srBase)}`,
      product: sr,
      expect: "tier",
    },
    {
      name: "tampered exp",
      key: formatLicenseKey(sr, "premium", tamperedExp(jwtOf(srPremium))),
      product: sr,
      expect: "signature",
    },
    {
      name: "stranger-signed under our kid",
      key: formatLicenseKey(sr, "premium", await signRaw(STRANGER, header, claims)),
      product: sr,
      expect: "signature",
    },
    {
      name: "stranger-signed under its own kid",
      key: formatLicenseKey(sr, "premium", await signRaw(STRANGER, { ...header, kid: STRANGER.kid }, claims)),
      product: sr,
      expect: "unknown_kid",
    },
    {
      name: "no kid",
      key: formatLicenseKey(sr, "premium", await signRaw(CURRENT, { alg: "EdDSA", typ: "JWT" }, claims)),
      product: sr,
      expect: "unknown_kid",
    },
    {
      name: "alg none",
      key: formatLicenseKey(sr, "premium", algNone(jwtOf(srPremium), "JWT", true)),
      product: sr,
      expect: "algorithm",
    },
    {
      name: "alg HS256 keyed with the public key",
      key: formatLicenseKey(sr, "premium", await hs256(claims, "JWT")),
      product: sr,
      expect: "algorithm",
    },
    {
      name: "a lease passed off as a key",
      key: formatLicenseKey(sr, "premium", goodLease),
      product: sr,
      expect: "type",
    },
    {
      name: "another issuer",
      key: formatLicenseKey(sr, "premium", await signRaw(CURRENT, header, { ...claims, iss: "https://evil.example" })),
      product: sr,
      expect: "issuer",
    },
    {
      name: "no jti",
      key: formatLicenseKey(sr, "premium", await signRaw(CURRENT, header, { ...claims, jti: undefined })),
      product: sr,
      expect: "claims",
    },
    {
      name: "no exp",
      key: formatLicenseKey(sr, "premium", await signRaw(CURRENT, header, { ...claims, exp: undefined })),
      product: sr,
      expect: "claims",
    },
    { name: "not a JWT", key: "SR-BASE-not.a.jwt!", product: sr, expect: "format" },
    { name: "lower-case prefix", key: srBase.replace("SR-BASE-", "sr-base-"), product: sr, expect: "format" },
  ];

  const leaseClaims = payloadOf(goodLease);
  const leaseHeader = { alg: "EdDSA", typ: "lease+jwt", kid: CURRENT.kid };
  const leaseCase = (name: string, token: string, expect: Expectation, o: Partial<LeaseVector> = {}): LeaseVector => ({
    name,
    lease: token,
    product: sr,
    license_id: LICENSE_IDS[sr],
    machine_id: MACHINE,
    expect,
    ...o,
  });
  const leases: LeaseVector[] = [
    leaseCase("valid lease", goodLease, "valid"),
    leaseCase("SL lease", await lease({ product: "simpl-liste" }), "valid", {
      product: "simpl-liste",
      license_id: LICENSE_IDS["simpl-liste"],
    }),
    leaseCase("expired lease", await lease({ exp: now - 3600 }), "expired"),
    leaseCase("lease for another machine", await lease({ machine: OTHER_MACHINE }), "machine"),
    leaseCase("lease of another license", goodLease, "license", { license_id: LICENSE_IDS["simpl-liste"] }),
    leaseCase("another product's lease", await lease({ product: "simpl-liste" }), "audience", {
      license_id: LICENSE_IDS["simpl-liste"],
    }),
    leaseCase("a key's JWT passed off as a lease", jwtOf(srPremium), "type"),
    leaseCase("tampered exp", tamperedExp(goodLease), "signature"),
    leaseCase("stranger-signed under our kid", await signRaw(STRANGER, leaseHeader, leaseClaims), "signature"),
    leaseCase("wrong kid", await signRaw(STRANGER, { ...leaseHeader, kid: STRANGER.kid }, leaseClaims), "unknown_kid"),
    leaseCase("alg none, no signature", algNone(goodLease, "lease+jwt", false), "algorithm"),
    leaseCase("alg HS256 keyed with the public key", await hs256(leaseClaims, "lease+jwt"), "algorithm"),
    leaseCase(
      "no machine claim",
      await signRaw(CURRENT, leaseHeader, { ...leaseClaims, machine: undefined }),
      "claims",
    ),
  ];

  const install = await installKeyFrom(INSTALL);
  const other = await installKeyFrom(OTHER_INSTALL);
  const thumbprints: ThumbprintVector[] = [
    { name: "RFC 8037 A.3", jwk: install.publicJwk, jkt: install.jkt },
    { name: "another install", jwk: other.publicJwk, jkt: other.jkt },
  ];
  const activateUrl = `${VECTORS_ISSUER}/licenses/activate`;
  const proofCase = async (
    name: string,
    expect: ProofExpectation,
    o: Partial<Parameters<typeof signProof>[1]> & { signer?: typeof install } = {},
  ): Promise<ProofVector> => {
    const { signer, ...over } = o;
    const proof = await signProof(signer ?? install, {
      htm: "POST",
      htu: activateUrl,
      iat: now,
      jti: `vector-${name.replaceAll(" ", "-")}`,
      ...over,
    });
    return { name, proof, method: "POST", url: activateUrl, jkt: install.jkt, expect };
  };
  const proofs: ProofVector[] = [
    await proofCase("valid proof", "valid"),
    await proofCase("iat 30 s ago, within the window", "valid", { iat: now - 30 }),
    await proofCase("htu with a query (ignored)", "valid", { htu: `${activateUrl}?x=1` }),
    await proofCase("signed by another key than its jwk", "signature", { signer: other, jwk: install.publicJwk }),
    await proofCase("jwk with the private key", "private_key", { jwk: INSTALL }),
    await proofCase("typ JWT", "typ", { typ: "JWT" }),
    await proofCase("htm GET", "htm", { htm: "GET" }),
    await proofCase("htu of another path", "htu", { htu: `${VECTORS_ISSUER}/licenses/validate` }),
    await proofCase("htu of another origin", "htu", { htu: "https://evil.example/licenses/activate" }),
    await proofCase("iat 5 minutes old", "iat", { iat: now - 300 }),
    await proofCase("iat 5 minutes ahead", "iat", { iat: now + 300 }),
    await proofCase("no jti", "jti", { claims: { jti: undefined } }),
  ];
  const boundCase = (name: string, token: string, installJkt: string, expect: "valid" | "jkt"): BoundLeaseVector => ({
    ...leaseCase(name, token, "valid"),
    install_jkt: installJkt,
    expect,
  });
  const boundLease = await lease({ jkt: install.jkt });
  const bound_leases: BoundLeaseVector[] = [
    boundCase("lease bound to this install's key", boundLease, install.jkt, "valid"),
    boundCase("lease bound to another install's key", await lease({ jkt: other.jkt }), install.jkt, "jkt"),
    boundCase("unbound lease, for an install that has a key", goodLease, install.jkt, "jkt"),
  ];

  return {
    comment: "Generated by `npm run vectors:rust` (tools/rust/vectors.ts); do not edit.",
    issuer: VECTORS_ISSUER,
    now,
    leeway: 60,
    jwks: { keys: keyring.publicJwks },
    keys,
    leases,
    proof_max_age: VECTORS_PROOF_MAX_AGE,
    thumbprints,
    proofs,
    bound_leases,
  };
}

export const serializeVectors = (v: Vectors) => `${JSON.stringify(v, null, 2)}\n`;
