import type { MsgHdrs, NatsConnection, Subscription } from 'nats';
import type { Balancer, Target } from '../balancing/balancer';
import { onTarget } from '../client/policies/balance.middleware';
import type { Send } from '../client/policies/send-step';
import { encodeJson } from '../codec/json-codec';
import type { MeshRegistry } from '../discovery/mesh-registry';
import type { ClientMetrics } from '../metrics/client-metrics';
import type { CallContext } from '../middleware/call-context';
import { chooseVersion, compileDecisions, type CallDecision, type MirrorDecision } from './call-decision';
import { MIRROR_HEADER } from './mirror-header';
import { MirrorCopies } from './mirror-copies';
import { MIRRORS_SUBJECT, MirrorSummary } from './mirror-summary';
import { NO_RULES, type MeshRules, type RulesView } from './rules-model';

/** What a router needs of its client. */
export interface RouterHost {
  readonly connection: NatsConnection;
  readonly registry: () => Promise<MeshRegistry>;
  readonly balancer: () => Balancer | Promise<Balancer>;
  readonly send: Send;
  readonly metrics: ClientMetrics | undefined;
  readonly callerName: () => string | undefined;
  /** Takes the compiled decisions: undefined when no route or mirror rule covers any subject. */
  readonly publish: (decisions: ReadonlyMap<string, CallDecision> | undefined) => void;
}

/**
 * Keeps one client's per-subject routing decisions in step with the rules in force and the
 * services the registry knows: compiled again on each change of either (never per call), handed
 * to the client as one Map. With route or mirror rules it starts the client's registry (versions
 * and endpoint subjects come from discovery); without, it costs nothing. Once a mirror rule was in
 * force it answers {@link MIRRORS_SUBJECT} with the client's mirror figures.
 */
export class CallRouter {
  private rules: MeshRules = NO_RULES;
  private registry: MeshRegistry | undefined;
  private following: Promise<void> | undefined;
  private stopped = false;
  private stopWatching: (() => void) | undefined;
  private responder: Subscription | undefined;
  private readonly summary = new MirrorSummary();
  private readonly copies: MirrorCopies;
  private readonly recompile = () => this.compile();

  constructor(
    private readonly view: RulesView,
    private readonly host: RouterHost,
  ) {
    this.copies = new MirrorCopies(host.send, host.balancer, (subject, version, outcome, ms) => {
      this.summary.record(subject, version, outcome, ms);
      const metrics = host.metrics;
      metrics?.routing().mirrored(metrics.labelOf(subject), version, outcome, ms === undefined ? undefined : ms / 1000);
    });
  }

  /** Reads the rules in force and follows their changes. */
  start(): void {
    this.stopWatching = this.view.onChange((rules) => {
      this.rules = rules;
      this.compile();
    });
    this.rules = this.view.current();
    this.compile();
  }

  /**
   * Resolves once calls follow the rules in force: at once without route or mirror rules, else
   * after the registry's first gathering of the mesh (at most its `bootstrapWait`); until then
   * calls keep the normal balancing. Never rejects.
   */
  applied(): Promise<void> {
    return this.following ?? Promise.resolve();
  }

  stop(): void {
    this.stopped = true;
    this.stopWatching?.();
    this.registry?.off('up', this.recompile);
    this.registry?.off('down', this.recompile);
    this.responder?.unsubscribe();
    this.host.publish(undefined);
  }

  /** Sends the copy of a call a mirror rule asked for (never awaited). */
  mirror(ctx: CallContext, mirror: MirrorDecision, primary: unknown): void {
    this.copies.copy(ctx.subject, ctx.payload, ctx.headersIfAny, ctx.deadline, mirror, primary);
  }

  /**
   * A call on a subject with rules, from a client with nothing else in its `call` pipeline (no
   * middleware, tracing, strategy or resilience policy) once the balancer is ready: the route and
   * mirror rules applied without a CallContext or a pipeline, as the policy path would (a version
   * without instances: the queue subject, counted; an instance gone: the queue subject).
   */
  call(balancer: Balancer, decision: CallDecision, subject: string, payload: Uint8Array, timeout: number, headers: MsgHdrs | undefined, caller: string | undefined): Promise<unknown> {
    const { send } = this.host;
    const route = decision.route;
    const version = route === undefined ? undefined : chooseVersion(route, headers, caller, Math.random());
    let target: Target | undefined;
    if (version !== undefined) {
      target = balancer.pick(subject, 'round-robin', undefined, undefined, version);
      if (target === undefined) this.unrouted(subject, version.version);
    }
    const deadline = Date.now() + timeout;
    const sent =
      target === undefined
        ? send(subject, payload, timeout, headers)
        : onTarget(balancer, target, () => send(target.subject, payload, timeout, headers), () => send(subject, payload, Math.max(1, deadline - Date.now()), headers));
    const mirror = decision.mirror;
    if (mirror !== undefined && Math.random() < mirror.share && !(headers?.has(MIRROR_HEADER) ?? false)) this.copies.copy(subject, payload, headers, deadline, mirror, sent);
    return sent;
  }

  /** Counts an attempt routed to a version with no known instance. */
  unrouted(subject: string, version: string): void {
    const metrics = this.host.metrics;
    metrics?.routing().unrouted(metrics.labelOf(subject), version);
  }

  private compile(): void {
    if (this.stopped) return;
    const { routes, mirrors } = this.rules;
    if (routes.length === 0 && mirrors.length === 0) {
      this.host.publish(undefined);
      return;
    }
    if (mirrors.length > 0) this.answerMirrors();
    const registry = this.registry;
    if (registry === undefined) {
      this.follow();
      return;
    }
    const decisions = compileDecisions(this.rules, registry.instances().flatMap((s) => s.info.services));
    this.host.publish(decisions.size === 0 ? undefined : decisions);
    // Routed calls pick instances through the balancer: made now, the first of them need not wait for it.
    if (decisions.size > 0) Promise.resolve(this.host.balancer()).catch(() => undefined);
  }

  // The endpoint subjects of a service and its versions are known from discovery only.
  private follow(): void {
    if (this.following !== undefined) return;
    this.following = this.host.registry().then(
      (registry) => {
        if (this.stopped) return;
        this.registry = registry;
        registry.on('up', this.recompile);
        registry.on('down', this.recompile);
        this.compile();
      },
      // The client closed meanwhile: its calls fail anyway.
      () => undefined,
    );
  }

  private answerMirrors(): void {
    if (this.responder !== undefined) return;
    this.responder = this.host.connection.subscribe(MIRRORS_SUBJECT, {
      callback: (err, msg) => {
        if (err === null) msg.respond(encodeJson(this.summary.report(this.host.callerName())));
      },
    });
  }
}
