/**
 * The service tiers a price can be given for. Apart from the catalogue's zod schema so that
 * code on the proxy's event loop thread can read them without loading zod (see
 * test/proxy/proxy-modules.test.ts).
 */
export const SERVICE_TIERS = ['standard', 'batch', 'flex', 'priority', 'fast'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];
