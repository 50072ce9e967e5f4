import type { FaultRule } from './rules-model';
import { clientFaults, usableFault, type SubjectFaults } from './fault-plan';

// Subjects may carry ids: past this many, the cache starts again rather than growing without bound.
const MAX_SUBJECTS = 10_000;

/**
 * The client-side faults of one client, compiled when the rules change: which subjects they
 * cover is decided once per subject (on its first call after the change) and kept, so a call
 * costs one Map lookup while faults are in force, and nothing at all while none are (the client
 * swaps its send back).
 */
export class ClientFaultPlan {
  private readonly faults: readonly FaultRule[];
  private readonly subjects = new Map<string, SubjectFaults | null>();

  constructor(
    faults: readonly FaultRule[],
    private readonly callers: ReadonlySet<string>,
    private readonly now: number,
  ) {
    this.faults = faults.filter((f) => f.where === 'client' && usableFault(f, now));
  }

  /** True when no client-side fault is in force. */
  get empty(): boolean {
    return this.faults.length === 0;
  }

  /** The faults of calls to `subject` (the subject called, not an instance-addressed one); undefined when none. */
  of(subject: string): SubjectFaults | undefined {
    const known = this.subjects.get(subject);
    if (known !== undefined) return known ?? undefined;
    if (this.subjects.size >= MAX_SUBJECTS) this.subjects.clear();
    const made = clientFaults(this.faults, subject, this.callers, this.now);
    this.subjects.set(subject, made ?? null);
    return made;
  }
}
