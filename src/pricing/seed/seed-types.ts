/**
 * The seed's intermediate form. Both datasets are first read into records that speak
 * the catalogue's vocabulary (our provider ids, per-1M decimal strings, `Rates`,
 * `Tier`, `Modifier`, offering scopes) but still remember where they came from, so
 * that the merge step can compare them entry by entry and every price in the output
 * can name its source key.
 */
import type { Model, Modifier, Period, Rates, Tier } from '../catalogue-schema.js';

export type ModelKind = Model['kind'];
export type ServiceTierModifiers = NonNullable<Period['service_tiers']>;

/** One LiteLLM entry, parsed. */
export interface LitellmRecord {
  /** The LiteLLM key, e.g. "bedrock/eu-west-1/meta.llama3-70b-instruct-v1:0". */
  key: string;
  provider: string;
  /** Id a caller sends, prefixes removed, revision suffix removed for Bedrock. */
  id: string;
  /** Other spellings of the same id seen in the key (full Bedrock revision id, Vertex @version). */
  spellings: string[];
  /** Offering scope: "default", Bedrock "regional"/"global", Azure "global"/"eu"/"us". */
  scope: string;
  /** Bedrock geo prefix ("us", "eu", "apac", …) when the key had one. */
  geoPrefix?: string | undefined;
  /** Bedrock source region from a `bedrock/<region>/` key. */
  awsRegion?: string | undefined;
  /** Lower is preferred when two keys give the same id and scope (`azure/global/x` before plain `azure/x`). */
  rank: number;
  kind: ModelKind;
  deprecated?: string | undefined;
  rates: Rates;
  tiers: Tier[];
  serviceTiers: ServiceTierModifiers;
  geo: Record<string, Modifier>;
}

/** One genai-prices model for one of our providers. */
export interface GenaiRecord {
  /** "genai-prices:<provider>/<model id>". */
  source: string;
  provider: string;
  /** Canonical id (genai id, with Bedrock scope prefix and revision removed). */
  id: string;
  scope: string;
  name?: string | undefined;
  kind: ModelKind;
  /** Exact ids (lower-case) from `equals` rules and family names. */
  exact: string[];
  /** Family prefixes from `starts_with`/`contains`, turned into dated-snapshot patterns. */
  prefixes: string[];
  /** Anchored regular expressions kept from the source. */
  regex: string[];
  /** Bedrock geo profiles ("us", "eu", …) the match rules name: their price is this record's. */
  geoPrefixes: string[];
  periods: Period[];
}

/** Everything the merge step knows about one model before it is written. */
export interface DraftModel {
  provider: string;
  id: string;
  name?: string | undefined;
  kind: ModelKind;
  deprecated?: string | undefined;
  exact: Set<string>;
  /** Prefixes whose dated snapshots belong to this model. */
  prefixes: Set<string>;
  regex: Set<string>;
  /** Scope → sources for that offering. */
  offerings: Map<string, OfferingSources>;
}

export interface OfferingSources {
  genai?: GenaiRecord | undefined;
  /** LiteLLM records for this scope; the first one is the primary. */
  litellm: LitellmRecord[];
}
