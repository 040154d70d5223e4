export * from "./customers";
export * from "./subscriptions";
export * from "./licenses";
export * from "./license-tokens";
export * from "./activations";
export * from "./payments";
export * from "./stripe-events";
export * from "./email-outbox";
