/** How addresses compare everywhere (recovery, support search): trimmed, lower-cased. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();
