import { PRODUCTS, type Product, type Tier } from "../../domain/products";

const TIER_NAMES: Record<Tier, { fr: string; en: string }> = {
  base: { fr: "Base", en: "Base" },
  premium: { fr: "Premium", en: "Premium" },
};

/** Plain text, French first then English: the buyer may read either, and the key must survive any mail client. */
export function licenseIssuedEmail(p: { product: Product; tier: Tier; key: string; expiresAt: Date }): {
  subject: string;
  text: string;
} {
  const name = PRODUCTS[p.product].name;
  const tier = TIER_NAMES[p.tier];
  const until = p.expiresAt.toISOString().slice(0, 10);
  const prefix = `${p.key.split("-", 2).join("-")}-`;
  const subject = `Votre clé de licence ${name} / Your ${name} license key`;
  const text = [
    "Bonjour,",
    "",
    `Merci pour votre achat. Voici votre clé de licence ${name} (${tier.fr}), valide jusqu'au ${until} :`,
    "",
    p.key,
    "",
    `Pour l'activer : ouvrez ${name}, allez à l'écran d'activation de la licence, collez la clé entière`,
    `(elle commence par ${prefix}) et confirmez. L'ordinateur doit être connecté`,
    "à Internet lors de l'activation ; ensuite, l'application fonctionne aussi hors ligne.",
    "Conservez ce courriel : la même clé sert à activer vos autres ordinateurs.",
    "",
    "---",
    "",
    "Hello,",
    "",
    `Thank you for your purchase. Here is your ${name} license key (${tier.en}), valid until ${until}:`,
    "",
    p.key,
    "",
    `To activate it: open ${name}, go to the license activation screen, paste the whole key`,
    `(it starts with ${prefix}) and confirm. The computer must be online`,
    "to activate; after that, the app also works offline.",
    "Keep this email: the same key activates your other computers.",
  ].join("\n");
  return { subject, text };
}
