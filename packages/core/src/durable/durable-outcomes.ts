/** What a durable route reports of its deliveries when metrics are on. */
export interface DurableOutcomes {
  /** A delivery arrived that had been delivered before (JetStream's delivery count above 1). */
  redelivery(): void;
  /** A delivery failed and was nak'ed: JetStream delivers it again after the backoff. */
  redelivered(): void;
  /** A delivery failed for the last time (or for good: bad input, a refusal) and went to the dead-letter subject. */
  deadLettered(): void;
  /** A delivery failed for the last time but its dead letter could not be published: left to JetStream. */
  unsettled(): void;
}
