import type { RequestSigner } from '../identity/request-signer';
import { SignedRequester } from '../identity/signed-requester';
import { EventEmitter } from 'node:events';
import type { JetStreamClient, MsgHdrs, NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { Balancer } from '../balancing/balancer';
import { STRATEGIES, type BalanceOptions, type Strategy } from '../balancing/strategy';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import type { CircuitEvent, CircuitState } from '../resilience/circuit-breaker';
import type { ClientResilienceOptions, RetryOptions } from '../resilience/resilience-options';
import { CallPolicies, type EndpointPolicy } from './call-policies';
import { wantsPolicy, withDeadline, type ClientPolicyOptions, type RequestOptions } from './request-options';
import { encodePayload } from './encode-payload';
import { drainAndClose } from './nats-connection';
import { toMsgHdrs } from './headers-init';
import { checkRegistryOptions } from '../discovery/check-registry-options';
import { MeshRegistry, type InstanceState, type RegistryOptions } from '../discovery/mesh-registry';
import type { Constructor } from '../metadata/options';
import { scanService } from '../scanner/service-scanner';
import { MuxRequester } from './mux-requester';
import { beforeDeadline } from './before-deadline';
import { checkMillis, describeValue } from '../options/check-millis';
import { prepareDurable, publishDurable, sendDurable, type DurableEmitOptions, type EmitAck, type EmitOptions } from './durable-emit';
import { createServiceProxy, type HandlerKeys, type ServiceProxy } from './service-proxy';
import { CallContext } from '../middleware/call-context';
import { EmitContext } from '../middleware/emit-context';
import { compose, type Layer, type Step } from '../middleware/compose';
import { callLayers, emitLayers, perCallLayers } from '../middleware/client-layers';
import type { Middleware } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { policyChain, type PolicyChainHost } from './policies/policy-chain';
import { ChainDeadlines } from './chain-deadlines';
import { emitOutcome } from './emit-outcome';
import { middlewareFailure } from './middleware-failure';
import { plainSendStep } from './policies/send-step';
import type { ClientMetrics } from '../metrics/client-metrics';
import { watchPermissions, type PermissionViolation } from './permission-watch';
import type { Send } from './policies/send-step';
import type { ClientFaultPlan } from '../control/client-fault-plan';
import { faultedSend } from '../control/client-faults';
import { followClientFaults } from '../control/client-fault-rules';
import type { Logger } from '../logging/logger';
import { LiveRules } from '../control/live-rules';
import type { RulesFollower } from '../control/rules-follower';
import type { RulesView } from '../control/rules-model';
import type { CallDecision } from '../control/call-decision';
import { CallRouter } from '../control/call-router';
import { CALLER_OPTION, type WithCaller } from '../control/caller-option';

export type { DurableEmitOptions, EmitAck, EmitOptions } from './durable-emit';

// A subject a message can be published to: tokens without white space or wildcards.
const PUBLISH_SUBJECT = /^[^\s.*>]+(?:\.[^\s.*>]+)*$/;

const NO_OPTIONS: RequestOptions = Object.freeze({});

/**
 * Calls endpoints and emits events. `app.client` is one; {@link createClient} makes one for
 * processes that host no service.
 *
 * A request runs through the client's `call` pipeline, composed once: tracing when on (one
 * CLIENT span around all the rest, see `createClient({ tracing })`) → the client-wide
 * middleware (the app's, or `createClient({ middleware })`, in the order given) → the call's own
 * `middleware` option → the built-in policies (strategy, fallback, retry and budget, balance,
 * throttle, breaker) → send; results and errors unwind in reverse. User middleware is thus
 * outside retries: it sees one call, and its `next()` runs all the attempts. An emit runs
 * through the `emit` pipeline the same way (tracing, client-wide, then per emit, then publish). A client
 * with none of these sends directly, as if pipelines did not exist.
 */
export class MeshClient {
  private nc: NatsConnection | undefined;
  private requester: MuxRequester | undefined;
  private ownsConnection = false;
  /** True once close() or app.stop() let go of the connection; calls then fail with UNAVAILABLE. */
  private closed = false;
  private registryStarting: Promise<MeshRegistry> | undefined;
  private js: JetStreamClient | undefined;
  /** @internal Undefined until a policy is configured or a call asks for one: plain calls never look. */
  policies: CallPolicies | undefined;
  /** True once the client has policies, a default strategy or `call` middleware, or while client-side faults are in force; until then no call looks further. */
  private piped = false;
  /** {@link piped} without the faults: what it goes back to when the last client-side fault ends. */
  private pipedBase = false;
  /** The registry once started, for the version of an instance a call is addressed to. */
  private registryNow: MeshRegistry | undefined;
  /** Stops following the client-side faults of the rules; undefined when not following. */
  private stopFaultRules: (() => void) | undefined;
  /** The built-in policies as one pipeline, composed with the policies. */
  private policyChain: Step<CallContext> | undefined;
  /** The same with the route and mirror layer first: for calls on subjects with rules (`ctx.decision`). */
  private routedChain: Step<CallContext> | undefined;
  /** The client-wide `call` middleware around {@link callInner}; undefined when none. */
  private callChain: Step<CallContext> | undefined;
  /** The client-wide `emit` middleware around {@link emitInner}, the built-in layers outermost; undefined when none. */
  private emitChain: Step<EmitContext> | undefined;
  /** The `emit` layers of the client-wide middleware. */
  private userEmits: Layer<EmitContext>[] = [];
  /** Built-in `call` and `emit` layers outside the user's middleware (tracing), from {@link useBuiltIns}. */
  private builtInCalls: Layer<CallContext>[] = [];
  private builtInEmits: Layer<EmitContext>[] = [];
  /** The built-in `call` layers around {@link userCall}; undefined when none. */
  private outerCall: Step<CallContext> | undefined;
  /** Bounds calls through user `call` middleware by their deadline; made with the first such call. */
  private chainDeadlines: ChainDeadlines | undefined;
  private readonly plainSend: Step<CallContext> = plainSendStep((subject, payload, timeout, headers, ctx) => this.send(subject, payload, timeout, headers, ctx));
  private balancing: Promise<Balancer> | undefined;
  private balancerReady: Balancer | undefined;
  private readonly strategy: Strategy | undefined;
  private readonly zone: string | undefined;
  private readonly resilience: ClientResilienceOptions;
  private readonly events = new EventEmitter();
  /** With metrics on, the built-in metrics `call` layer (inside tracing, outside user middleware); empty when off. */
  private readonly meteredCalls: Layer<CallContext>[] = [];
  /** The client metrics when they are the only built-in `call` layer: a plain call is then timed without a pipeline. */
  private plainMeter: ClientMetrics | undefined;
  /** Takes this client's circuits out of the metrics on close; undefined when metrics are off. */
  private readonly dropCircuits: (() => void) | undefined;
  /**
   * The prom-client registry this client counts its `natsmesh_client_*` metrics into: the app's
   * (`app.metrics`) for `app.client` of an app with metrics on, the one given to
   * `createClient({ metrics })` (or made for `metrics: true`); undefined when metrics are off.
   */
  readonly metrics: Registry | undefined;
  /**
   * @internal Told of a plain emit's failure that no one was waiting for: an asynchronous `emit`
   * middleware rejected, and the promise the emit returned had no handler by then. Nothing by
   * default (`createClient`); `createApp` logs it. What it throws is ignored.
   */
  onDroppedEmitFailure: ((err: MeshError, subject: string) => void) | undefined;
  /**
   * @internal Told of every permissions violation the server reports on the connection, after a
   * refused publish failed the request waiting on it (`request`: whether one was). `createApp` logs it.
   */
  onPermissionViolation: ((v: PermissionViolation, request: boolean) => void) | undefined;
  private stopPermissionWatch: (() => void) | undefined;
  private signer: RequestSigner | undefined;
  /** @internal What {@link rules} reads; filled by the control plane's follower from connect to close. */
  readonly liveRules = new LiveRules();
  private rulesFollower: RulesFollower | undefined;
  private router: CallRouter | undefined;
  /** Per-subject decisions of the route and mirror rules in force; undefined while none covers a subject, so calls look no further. */
  private decisions: ReadonlyMap<string, CallDecision> | undefined;
  /**
   * @internal The calling service's name for route rules that match on the caller, when a call
   * does not say (`ctx.request` says its handler's service): `createClient({ name })`, or the one
   * service an app hosts.
   */
  callerName: string | undefined;

  /**
   * @throws MeshError `INVALID_OPTIONS` for an unknown strategy or a bad retry policy.
   */
  constructor(
    private readonly defaultTimeout: number = 5000,
    options: ClientPolicyOptions = {},
    private readonly clientMetrics?: ClientMetrics,
  ) {
    if (clientMetrics !== undefined) {
      this.metrics = clientMetrics.registry;
      this.meteredCalls = callLayers([clientMetrics.middleware]);
      this.plainMeter = clientMetrics;
      this.builtInCalls = this.meteredCalls;
      this.outerCall = compose(this.builtInCalls, this.userCall);
      this.dropCircuits = clientMetrics.addCircuits(() => this.policies?.breakerStates() ?? []);
    }
    this.resilience = options.resilience ?? {};
    this.zone = options.zone;
    const strategy = options.strategy;
    if (strategy !== undefined && !STRATEGIES.has(strategy)) throw badStrategy(strategy);
    this.strategy = strategy === 'queue' ? undefined : strategy;
    this.piped = this.pipedBase = this.strategy !== undefined || clientMetrics !== undefined;
    if (this.resilience.retry !== undefined || this.resilience.breaker !== undefined || this.resilience.throttle !== undefined) this.policyState();
  }

  /**
   * @internal Signs every request this client sends from its next {@link attach} on (signed
   * caller identity); decided once, before connecting: a client without it checks nothing per request.
   */
  useIdentity(signer: RequestSigner | undefined): void {
    this.signer = signer;
  }

  /**
   * The control plane's rules in force (routes, mirrors, faults, canaries), followed from the
   * `natsmesh_rules` KV bucket from connect (`createClient`, `app.start()`) to close: read before
   * the client resolves (before the app serves), then replaced within 1 s of each change.
   * `NO_RULES` when the control plane is off: no JetStream, a user that may not read the bucket,
   * or `control: false`.
   */
  get rules(): RulesView {
    return this.liveRules;
  }

  /** @internal Keeps the follower of {@link rules}, to stop it on detach. */
  followRules(follower: RulesFollower): void {
    this.rulesFollower?.stop();
    this.rulesFollower = follower;
  }

  /** The underlying nats.js connection, for what natsmesh does not wrap. */
  get connection(): NatsConnection {
    if (!this.nc) throw this.unusable();
    return this.nc;
  }

  /** @internal Binds the client to a connection; `owns` makes {@link close} drain it. */
  attach(nc: NatsConnection, owns: boolean): void {
    this.nc = nc;
    this.ownsConnection = owns;
    this.closed = false;
    this.requester = this.signer === undefined ? new MuxRequester(nc) : new SignedRequester(nc, this.signer);
    this.js = undefined;
    this.stopPermissionWatch?.();
    this.stopPermissionWatch = watchPermissions(nc, (v) => this.onRefused(v));
    // Its calls follow the route and mirror rules of {@link rules}, the one place the client reads rules from.
    this.router?.stop();
    this.router = new CallRouter(this.liveRules, {
      connection: nc,
      registry: () => this.registry(),
      balancer: () => this.balancer(),
      send: (subject, payload, timeout, headers) => this.send(subject, payload, timeout, headers),
      metrics: this.clientMetrics,
      callerName: () => this.callerName,
      publish: (decisions) => {
        this.decisions = decisions;
      },
    });
    this.router.start();
  }

  /**
   * @internal Resolves once calls follow the route and mirror rules now in {@link rules}: at once
   * without any, else once the registry first gathered the mesh (versions and endpoint subjects
   * come from discovery). The control plane awaits it before the client resolves or the app serves. Never rejects.
   */
  routesApplied(): Promise<void> {
    return this.router?.applied() ?? Promise.resolve();
  }

  // A refused publish fails its request at once with FORBIDDEN instead of waiting for the timeout.
  private onRefused(v: PermissionViolation): void {
    // The reply inbox refused: no reply can ever arrive, so every request fails now rather than at its timeout.
    if (v.operation === 'subscription') this.requester?.refuseInbox(v.subject, inboxRefused(v.subject));
    const request = v.operation === 'publish' && this.requester !== undefined && this.requester.refuse(v.subject, forbidden(v.subject));
    this.onPermissionViolation?.(v, request);
  }

  /**
   * @internal Composes, once, the client-wide `call` and `emit` pipelines from the hooks of
   * `list` (outermost first); middleware without the hook take no part in that pipeline.
   * `createApp` passes the app-wide middleware, `createClient` its `middleware` option, before
   * the first call.
   */
  useMiddleware(list: readonly Middleware[]): void {
    const calls = callLayers(list);
    this.userEmits = emitLayers(list);
    this.callChain = calls.length === 0 ? undefined : compose(calls, this.callInner);
    this.composeEmits();
    if (this.callChain !== undefined) this.pipe();
  }

  /**
   * @internal Composes, once, built-in `call` and `emit` middleware that run outside everything
   * else in their pipelines (tracing: one span around the user's middleware and all the
   * attempts). They must settle by themselves: no deadline bounds them, as it does user middleware.
   */
  useBuiltIns(list: readonly Middleware[]): void {
    const calls = callLayers(list);
    if (calls.length > 0) this.plainMeter = undefined;
    this.builtInCalls = [...calls, ...this.meteredCalls];
    this.builtInEmits = emitLayers(list);
    this.outerCall = this.builtInCalls.length === 0 ? undefined : compose(this.builtInCalls, this.userCall);
    this.composeEmits();
    if (this.outerCall !== undefined) this.pipe();
  }

  private composeEmits(): void {
    const layers = [...this.builtInEmits, ...this.userEmits];
    this.emitChain = layers.length === 0 ? undefined : compose(layers, this.emitInner);
  }

  /**
   * The live view of the mesh, started on first use (a client that never asks pays nothing
   * for discovery): instances, their services and load, with `up`/`down`/`change` events.
   *
   * @throws MeshError `INVALID_OPTIONS` for a `ttl` or `bootstrapWait` out of range (it rejects), `UNAVAILABLE` once closed.
   */
  registry(options?: RegistryOptions): Promise<MeshRegistry> {
    const nc = this.nc;
    if (!nc) return Promise.reject(this.unusable());
    try {
      checkRegistryOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    this.registryStarting ??= (async () => {
      const registry = new MeshRegistry(nc, options);
      // Endpoints announce whether they are idempotent: calls to them then retry by default.
      const learnFrom = (s: InstanceState) => {
        try {
          this.learn(s.info.services.flatMap((d) => d.endpoints));
        } catch {
          // an instance announcing a malformed retry policy keeps its calls on the plain path
        }
      };
      registry.on('up', learnFrom);
      await registry.start();
      // Not when close() or a restart came in between: that registry belongs to the old connection.
      if (this.nc === nc) this.registryNow = registry;
      return registry;
    })();
    return this.registryStarting;
  }

  /**
   * Resolves with the live instances of a service once there is at least one.
   *
   * The timeout also bounds the registry's first scatter-gather.
   *
   * @throws MeshError `TIMEOUT` when none appears in time (default 5000 ms), `INVALID_OPTIONS`
   * for a timeout outside 1…2^31-1 ms, `UNAVAILABLE` once closed.
   */
  async waitFor(service: string, options?: { timeout?: number }): Promise<InstanceState[]> {
    const timeout = options?.timeout === undefined ? 5000 : checkMillis(options.timeout, 'waitFor option timeout');
    const deadline = Date.now() + timeout;
    const registry = await beforeDeadline(this.registry(), deadline, () => new MeshError(
      'TIMEOUT',
      `No instance of "${service}" appeared within ${timeout} ms (the registry was still gathering the mesh): start one, or raise the timeout.`,
    ));
    return registry.waitFor(service, { timeout: Math.max(1, deadline - Date.now()) });
  }

  /** @internal Rejects what is in flight and lets go of the connection (without closing it). */
  /**
   * @internal Waits until no request of this client is in flight, or until `until` (epoch ms);
   * `app.stop()` calls it before it detaches the client, so the app's own calls get their replies.
   */
  settled(until: number): Promise<boolean> {
    return this.requester === undefined ? Promise.resolve(true) : this.requester.settled(until);
  }

  detach(): void {
    this.router?.stop();
    this.router = undefined;
    const registry = this.registryStarting;
    this.registryStarting = undefined;
    this.registryNow = undefined;
    this.stopFaultRules?.();
    this.stopFaultRules = undefined;
    this.useFaults(undefined);
    void registry?.then((r) => r.stop(), () => undefined);
    this.requester?.close();
    this.requester = undefined;
    this.rulesFollower?.stop();
    this.rulesFollower = undefined;
    this.stopPermissionWatch?.();
    this.stopPermissionWatch = undefined;
    this.closed = this.nc !== undefined || this.closed;
    this.nc = undefined;
    this.js = undefined;
    this.balancing = undefined;
    this.balancerReady = undefined;
  }

  /**
   * Sends a request and resolves with the decoded JSON reply.
   *
   * @throws MeshError the responder's code, `NO_RESPONDERS` at once when nobody listens,
   * `TIMEOUT`, `PAYLOAD_TOO_LARGE`, `BAD_REQUEST` for an invalid subject or header, `UNAVAILABLE` when closed,
   * `INVALID_OPTIONS` for a timeout outside 1…2^31-1 ms, a bad retry policy or strategy, or a `middleware` option
   * that is not an array of objects with a `call` hook; what a middleware throws, as a MeshError (anything that is
   * not one is `INTERNAL` with the value as `cause`; a header nats.js refuses is `BAD_REQUEST`); `TIMEOUT` when
   * the call's middleware and the request together do not finish within the timeout. It never throws: it rejects.
   */
  request<T = unknown>(subject: string, data?: unknown, options?: RequestOptions): Promise<T> {
    const requester = this.requester;
    if (!requester) return Promise.reject(this.unusable());
    if (options === null) options = undefined;
    if (!PUBLISH_SUBJECT.test(subject)) return Promise.reject(badSubject(subject));
    let payload: Uint8Array;
    try {
      payload = encodePayload(data, 'request', subject);
    } catch (err) {
      return Promise.reject(err);
    }
    // One boolean, one Map lookup when rules are in force and, with options, five field reads decide: without
    // policies, rules or middleware a call takes the plain path below, which is the path as it was before they existed.
    const decision = this.decisions?.get(subject);
    if (this.piped || decision !== undefined || (options !== undefined && (wantsPolicy(options) || options.middleware !== undefined))) {
      return this.requestThroughPipeline<T>(subject, data, payload, options, decision);
    }
    let timeout = this.defaultTimeout;
    let hdrs: MsgHdrs | undefined;
    if (options !== undefined) {
      try {
        if (options.headers !== undefined) hdrs = toMsgHdrs(options.headers);
        if (options.timeout !== undefined) {
          timeout = callTimeout(options.timeout);
          // Only an explicit timeout travels: a handler assumes its own default otherwise.
          hdrs = withDeadline(hdrs, timeout);
        }
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return requester.request(subject, payload, timeout, hdrs) as Promise<T>;
  }

  private requestThroughPipeline<T>(subject: string, data: unknown, payload: Uint8Array, options: RequestOptions | undefined, decision: CallDecision | undefined): Promise<T> {
    try {
      return this.pipelineCall(subject, data, payload, options, decision) as Promise<T>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private pipelineCall(subject: string, data: unknown, payload: Uint8Array, options: RequestOptions | undefined, decision: CallDecision | undefined): Promise<unknown> {
    let timeout = this.defaultTimeout;
    if (options?.timeout !== undefined) timeout = callTimeout(options.timeout);
    const strategy = options?.strategy ?? this.strategy;
    let policied: boolean;
    if (strategy !== undefined || (options !== undefined && wantsPolicy(options))) {
      if (strategy !== undefined && !STRATEGIES.has(strategy)) return Promise.reject(badStrategy(strategy));
      policied = true;
    } else {
      policied = this.policies !== undefined && this.policies.covers(subject);
    }
    const perCall = options?.middleware === undefined ? undefined : perCallLayers(options.middleware, 'call', 'request');
    const plain = perCall === undefined && this.callChain === undefined && (this.outerCall === undefined || this.plainMeter !== undefined);
    // Rules on a subject with no other policy: applied without the pipeline once the balancer is ready.
    const routed = plain && decision !== undefined && !policied && this.balancerReady !== undefined && this.router !== undefined;
    if (plain && (!policied || routed)) {
      let hdrs = options?.headers === undefined ? undefined : toMsgHdrs(options.headers);
      if (options?.timeout !== undefined) hdrs = withDeadline(hdrs, timeout);
      const started = performance.now();
      const sent = routed
        ? this.router!.call(this.balancerReady!, decision!, subject, payload, timeout, hdrs, (options as WithCaller | undefined)?.[CALLER_OPTION] ?? this.callerName)
        : this.send(subject, payload, timeout, hdrs);
      if (this.plainMeter === undefined) return sent;
      // Metrics alone: the same count and time as their `call` layer, without a CallContext.
      return this.plainMeter.timed(subject, started, sent);
    }
    if (decision !== undefined) policied = true;
    // Rules alone do not pipe every call of the client, as a configured policy does: only those on their subjects.
    if (policied) this.policyState(decision === undefined);
    const given = options?.headers === undefined ? undefined : toMsgHdrs(options.headers);
    const ctx = new CallContext(subject, data, options ?? NO_OPTIONS, timeout, Date.now() + timeout, this, given, payload);
    ctx.perCall = perCall;
    ctx.policied = policied;
    ctx.strategy = strategy;
    ctx.decision = decision;
    return this.outerCall === undefined ? this.userCall(ctx) : Promise.resolve(this.outerCall(ctx));
  }

  /** Inside the built-in layers: the client-wide and the call's own middleware, bounded by the deadline, then {@link callInner}. */
  private readonly userCall = (ctx: CallContext): Promise<unknown> => {
    // Only user middleware can hang or throw what is not a MeshError; the built-in policies are bounded by the send.
    if (this.callChain === undefined && ctx.perCall === undefined) return Promise.resolve(this.callInner(ctx));
    return (this.chainDeadlines ??= new ChainDeadlines()).run(this.callChain ?? this.callInner, ctx);
  };

  /** Inside the client-wide middleware: the call's own middleware, then the built-in policies or a plain send. */
  private readonly callInner = (ctx: CallContext): unknown => {
    const core = !ctx.policied ? this.plainSend : ctx.decision === undefined ? this.policyChain! : this.routedChain!;
    return ctx.perCall === undefined ? core(ctx) : compose(ctx.perCall, core)(ctx);
  };

  /** Sends one request (the muxed requester); rejects with `UNAVAILABLE` once closed. */
  private readonly sendDirect: Send = (subject, payload, timeout, headers) => {
    const requester = this.requester;
    if (!requester) return Promise.reject(this.unusable());
    return requester.request(subject, payload, timeout, headers);
  };

  /** @internal Sends one request: {@link sendDirect}, or through the client-side faults while some are in force. */
  send: Send = this.sendDirect;

  /** @internal The balancer of client-side strategies, itself once started; starts the registry on first use. */
  balancer(): Balancer | Promise<Balancer> {
    if (this.balancerReady !== undefined) return this.balancerReady;
    return (this.balancing ??= (async () => {
      const connection = this.requester;
      const balancer = new Balancer(() => this.registry(), this.zone);
      await balancer.ready();
      // Not when close() or a restart came in between: that balancer belongs to the old connection.
      if (this.requester === connection) this.balancerReady = balancer;
      return balancer;
    })());
  }

  /**
   * Listens to circuit state changes of this client's breakers.
   *
   * @example
   * client.on('circuit', (e) => log.warn(e, `circuit of ${e.subject} is ${e.state}`));
   */
  on(event: 'circuit', listener: (e: CircuitEvent) => void): this {
    this.events.on(event, listener);
    return this;
  }

  /** Stops calling a listener added with {@link on}. */
  off(event: 'circuit', listener: (e: CircuitEvent) => void): this {
    this.events.off(event, listener);
    return this;
  }

  /**
   * The state of the circuit of a subject (an endpoint subject, or an instance-addressed
   * one), or undefined when no breaker guards it. Changes are `circuit` events:
   * `client.on('circuit', (e: CircuitEvent) => …)`.
   */
  circuit(subject: string): CircuitState | undefined {
    return this.policies?.existingBreaker(subject)?.current;
  }

  /** @internal Records what endpoints declare about retries (`idempotent`, `retry`), so calls to them follow it. */
  learn(endpoints: readonly { readonly subject: string; readonly idempotent?: boolean; readonly retry?: RetryOptions | false }[]): void {
    for (const e of endpoints) {
      if (e.idempotent === undefined && e.retry === undefined) continue;
      const policy: EndpointPolicy = { idempotent: e.idempotent, retry: e.retry };
      this.policyState().register(e.subject, policy);
    }
  }

  private pipe(): void {
    this.piped = this.pipedBase = true;
  }

  /**
   * @internal Puts the client-side faults of the control plane in force (`where: 'client'`), or
   * takes them out (undefined, or a plan without faults): the client's send is swapped, so
   * while no fault is in force a call pays nothing for them. `log` is the app's logger for
   * `app.client`.
   */
  useFaults(plan: ClientFaultPlan | undefined, log?: Logger): void {
    const on = plan !== undefined && !plan.empty;
    this.send = !on
      ? this.sendDirect
      : faultedSend({
          plan,
          send: this.sendDirect,
          versionOf: (id, subject) => versionOn(this.registryNow?.instance(id), subject),
          counter: (subject) => this.clientMetrics?.forFaults(subject),
          log,
        });
    // The plainest path skips send(): while faults are in force every call takes the pipelined one.
    this.piped = this.pipedBase || on;
  }

  /**
   * @internal Follows the client-side faults of `view` (the control plane's rules) until the
   * client lets go of its connection. `callers` are the names this client calls as.
   */
  followFaultRules(view: RulesView, callers: ReadonlySet<string>, log?: Logger): void {
    this.stopFaultRules?.();
    this.stopFaultRules = followClientFaults(view, this, callers, log);
  }

  private policyState(pipe = true): CallPolicies {
    if (pipe) this.pipe();
    if (this.policies !== undefined) return this.policies;
    const metrics = this.clientMetrics;
    const onCircuit =
      metrics === undefined
        ? (e: CircuitEvent) => this.events.emit('circuit', e)
        : (e: CircuitEvent) => {
            metrics.circuitChanged(e);
            this.events.emit('circuit', e);
          };
    const policies = new CallPolicies(this.resilience, onCircuit);
    this.policies = policies;
    const host = {
      policies,
      observer: metrics,
      throttled: this.resilience.throttle !== undefined,
      broken: this.resilience.breaker !== undefined,
      send: (subject, payload, timeout, headers, ctx) => this.send(subject, payload, timeout, headers, ctx),
      balancer: () => this.balancer(),
      route: {
        callerName: () => this.callerName,
        mirror: (ctx, mirror, primary) => this.router?.mirror(ctx, mirror, primary),
      },
      onUnrouted: (subject: string, version: string) => this.router?.unrouted(subject, version),
    } satisfies PolicyChainHost;
    this.policyChain = policyChain(host, false);
    this.routedChain = policyChain(host, true);
    return policies;
  }

  /**
   * Publishes an event. Plain (fire and forget, at most once) by default; with
   * `{ durable: true }` through JetStream, resolving once the stream has stored it.
   *
   * @example
   * client.emit('app.booking.save', { id: 7 });
   * const ack = await client.emit('app.booking.save', { id: 7 }, { durable: true, id: 'booking-7' });
   * Through `emit` middleware (the client's, then the emit's own `middleware` option), a plain
   * emit stays synchronous while they are: it throws what they throw (as a MeshError) and returns
   * undefined. One that returns a promise makes the emit return a promise of its outcome (typed
   * `void`): whoever awaits it gets the failure as a MeshError; a failure no one had attached a
   * handler to by then is never an unhandled rejection (`createApp` logs it as a warning). A
   * durable emit resolves with what the chain returns, the ack unless a middleware changed it.
   *
   * @throws MeshError `BAD_REQUEST` for an invalid subject, header or payload, `PAYLOAD_TOO_LARGE`, `UNAVAILABLE`,
   * `INVALID_OPTIONS` for a `durable` that is not a boolean or a `middleware` option that is not an array of
   * objects with an `emit` hook, what a middleware throws (as a MeshError: `INTERNAL` with the value as `cause`
   * when it is not one, `BAD_REQUEST` for a header nats.js refuses);
   * a durable emit rejects instead, also with `JETSTREAM_UNAVAILABLE` (no stream stores the subject) or `TIMEOUT`.
   */
  emit(subject: string, data: unknown, options: DurableEmitOptions): Promise<EmitAck>;
  emit(subject: string, data?: unknown, options?: EmitOptions): void;
  emit(subject: string, data?: unknown, options?: EmitOptions | DurableEmitOptions): void | Promise<EmitAck> {
    if (options?.durable === true) return this.emitDurable(subject, data, options);
    const nc = this.nc;
    if (!nc) throw this.unusable();
    if (!PUBLISH_SUBJECT.test(subject)) throw badSubject(subject);
    if (options?.durable !== undefined && options.durable !== false) throw notBoolean(options.durable);
    const hdrs = options?.headers === undefined ? undefined : toMsgHdrs(options.headers);
    const payload = encodePayload(data, 'event', subject);
    if (this.emitChain !== undefined || options?.middleware !== undefined) return this.emitThroughPipeline(subject, data, options ?? {}, hdrs, payload);
    try {
      nc.publish(subject, payload, hdrs === undefined ? undefined : { headers: hdrs });
    } catch (err) {
      throw toMeshError(err, `Cannot emit on "${subject}": ${(err as Error).message}`);
    }
  }

  private emitThroughPipeline(subject: string, data: unknown, options: EmitOptions, hdrs: MsgHdrs | undefined, payload: Uint8Array): void {
    const perEmit = options.middleware === undefined ? undefined : perCallLayers(options.middleware, 'emit', 'emit');
    const ctx = new EmitContext(subject, data, options, this, hdrs);
    ctx.perEmit = perEmit;
    ctx.payload = payload;
    let out: unknown;
    try {
      out = (this.emitChain ?? this.emitInner)(ctx);
    } catch (err) {
      throw middlewareFailure(err, 'emit', subject);
    }
    // A plain emit has nothing to return but an asynchronous middleware's promise: it goes to whoever
    // awaits it, and a failure nobody awaits goes to onDroppedEmitFailure, never to an unhandled rejection.
    if (isThenable(out)) {
      return emitOutcome(out, (err) => middlewareFailure(err, 'emit', subject), (err) => this.onDroppedEmitFailure?.(err, subject)) as unknown as void;
    }
  }

  private async emitDurable(subject: string, data: unknown, options: DurableEmitOptions): Promise<EmitAck> {
    const nc = this.nc;
    if (!nc) throw this.unusable();
    if (!PUBLISH_SUBJECT.test(subject)) throw badSubject(subject);
    this.js ??= nc.jetstream();
    if (this.emitChain === undefined && options.middleware === undefined) return publishDurable(this.js, subject, data, options, this.defaultTimeout);
    const event = prepareDurable(subject, data, options, this.defaultTimeout);
    const perEmit = options.middleware === undefined ? undefined : perCallLayers(options.middleware, 'emit', 'emit');
    const ctx = new EmitContext(subject, data, options, this, event.headers);
    ctx.perEmit = perEmit;
    ctx.durableEvent = event;
    const deadline = Date.now() + event.timeout;
    try {
      const out = (this.emitChain ?? this.emitInner)(ctx);
      if (!isThenable(out)) return out as EmitAck;
      // The emit's timeout covers its middleware too, as a call's does: one that never settles fails it with TIMEOUT.
      // A timer per durable emit through middleware, beside the one nats.js starts for the ack.
      return (await beforeDeadline(Promise.resolve(out), deadline, () => durableTimeout(subject, event.timeout))) as EmitAck;
    } catch (err) {
      throw middlewareFailure(err, 'emit', subject);
    }
  }

  /** Inside the client-wide middleware: the emit's own middleware, then the publish. */
  private readonly emitInner = (ctx: EmitContext): unknown => (ctx.perEmit === undefined ? this.publish(ctx) : compose(ctx.perEmit, this.publish)(ctx));

  /** The innermost step of the `emit` pipeline: a plain publish, or a JetStream publish resolving with the ack. */
  private readonly publish = (ctx: EmitContext): unknown => {
    const event = ctx.durableEvent;
    if (event !== undefined) {
      const js = this.js;
      if (js === undefined) return Promise.reject(this.unusable());
      return sendDurable(js, ctx.subject, event, ctx.headersIfAny);
    }
    const nc = this.nc;
    if (!nc) throw this.unusable();
    const hdrs = ctx.headersIfAny;
    try {
      nc.publish(ctx.subject, ctx.payload!, hdrs === undefined ? undefined : { headers: hdrs });
    } catch (err) {
      throw toMeshError(err, `Cannot emit on "${ctx.subject}": ${(err as Error).message}`);
    }
    return undefined;
  };

  /**
   * A typed proxy of a service. Given a name, property names are endpoint names:
   * `client.service<BookingApi>('hotel.booking').save(input)` requests `hotel.booking.save`.
   * Given the service class, its methods map to their `@Handle` subjects, whatever the
   * endpoint names: `client.service(BookingService).save(input)`. The type has the methods
   * shaped like handlers ({@link ServiceProxy}); name the endpoints to leave `@On` handlers
   * out: `client.service<typeof BookingService, 'save' | 'get'>(BookingService)`.
   *
   * @throws MeshError `NOT_A_SERVICE` when given a class without `@Service`.
   */
  service<T extends object>(name: string, balance?: BalanceOptions): ServiceProxy<T>;
  service<C extends Constructor<object>, K extends HandlerKeys<InstanceType<C>> = HandlerKeys<InstanceType<C>>>(
    target: C,
    balance?: BalanceOptions,
  ): ServiceProxy<Pick<InstanceType<C>, K>>;
  service(nameOrClass: string | Constructor<object>, balance?: BalanceOptions): ServiceProxy<object> {
    if (balance?.strategy !== undefined && !STRATEGIES.has(balance.strategy)) throw badStrategy(balance.strategy);
    if (typeof nameOrClass === 'string') return createServiceProxy(this, (endpoint) => `${nameOrClass}.${endpoint}`, balance);
    const endpoints = scanService(nameOrClass).endpoints;
    this.learn(endpoints);
    const subjects = new Map(endpoints.map((e) => [e.method, e.subject]));
    return createServiceProxy(this, (method) => subjects.get(method), balance);
  }

  /**
   * Resolves once the server has processed everything this client sent so far: after it,
   * events emitted before are on their way to every subscriber.
   */
  async flush(): Promise<void> {
    if (!this.nc) throw this.unusable();
    await this.nc.flush();
  }

  /** Ends the client: pending requests reject with `UNAVAILABLE`; a connection it opened is drained and closed. */
  async close(): Promise<void> {
    const nc = this.nc;
    const owns = this.ownsConnection;
    this.detach();
    this.dropCircuits?.();
    if (nc && owns && !nc.isClosed()) await drainAndClose(nc);
  }

  /** Why a call cannot go out: never connected, or closed. */
  private unusable(): MeshError {
    if (this.closed) return new MeshError('UNAVAILABLE', 'The client is closed (client.close() or app.stop() ended it): make a new client, or a new app.');
    return new MeshError('NOT_STARTED', 'The client is not connected: await app.start() (or use createClient()) first.');
  }
}

/** The version of the service that `subject` belongs to on an instance of the registry, undefined when not known. */
function versionOn(instance: InstanceState | undefined, subject: string): string | undefined {
  for (const d of instance?.info.services ?? []) if (d.endpoints.some((e) => e.subject === subject)) return d.version;
  return undefined;
}

/** A per-call timeout, checked: 1…2^31-1 ms, whole ms. */
function callTimeout(timeout: number): number {
  return Math.max(1, Math.floor(checkMillis(timeout, 'request option timeout')));
}

/** The error of every request of a client whose user may not read its reply inbox. */
function inboxRefused(subject: string): MeshError {
  const prefix = subject.slice(0, subject.indexOf('.'));
  return new MeshError(
    'FORBIDDEN',
    `NATS refused this client's reply subscription "${subject}": its user may not read the ${prefix} inbox, so no reply can arrive. ` +
      "Connect with the user's own inbox prefix (nats: { inboxPrefix }, CLI --inbox-prefix; natsmesh acl names it: _INBOX_<name>).",
  );
}

function forbidden(subject: string): MeshError {
  return new MeshError(
    'FORBIDDEN',
    `NATS refused the request to "${subject}": this connection's user may not publish there. Declare it in the calling service's @Service({ calls: ['${subject}'] }) (and in the callee's allow, if it has one), then regenerate the permissions (natsmesh acl).`,
  );
}

function badStrategy(strategy: string): MeshError {
  return new MeshError('INVALID_OPTIONS', `Unknown load-balancing strategy "${strategy}": use one of ${[...STRATEGIES].join(', ')}.`);
}

function badSubject(subject: string): MeshError {
  return new MeshError('BAD_REQUEST', `"${subject}" is not a subject to publish to: use dot-separated tokens without white space or wildcards.`);
}

function notBoolean(durable: unknown): MeshError {
  return new MeshError('INVALID_OPTIONS', `emit option durable is ${describeValue(durable)}: use true (through JetStream, resolving with the ack) or false.`);
}

function durableTimeout(subject: string, timeout: number): MeshError {
  return new MeshError(
    'TIMEOUT',
    `The durable event on "${subject}": its emit middleware or the publish did not finish within ${timeout} ms: check the emit middleware (a promise that never settles, a slow lookup) and JetStream, or raise the emit option timeout.`,
  );
}
