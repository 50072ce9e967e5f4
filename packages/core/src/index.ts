import 'reflect-metadata';

export { Service } from './decorators/service.decorator';
export { Handle } from './decorators/handle.decorator';
export { On } from './decorators/on.decorator';
export { Emits } from './decorators/emits.decorator';
export { Inject } from './decorators/inject.decorator';
export { Use } from './decorators/use.decorator';
export type { Constructor, ServiceOptions, HandleOptions, OnOptions, EmitsOptions, Token } from './metadata/options';

export { scanService } from './scanner/service-scanner';
export { subjectCovers, subjectsOverlap, hasWildcard } from './scanner/subject-match';
export type {
  ServiceDefinition,
  EndpointDefinition,
  SubscriptionDefinition,
  EmittedEventDefinition,
  DependencyDefinition,
} from './scanner/service-definition';

export { createApp } from './app/create-app';
export { App } from './app/app';
export type { AppOptions, InstanceOptions, DiscoveryOptions } from './app/app-options';
export type { ServiceDescription } from './app/describe';
export type { Provider } from './di/provider';

export { createClient } from './client/create-client';
export type { ClientOptions } from './client/create-client';
export { MeshClient } from './client/mesh-client';
export type { EmitOptions, DurableEmitOptions, EmitAck } from './client/mesh-client';
export type { RequestOptions, ClientPolicyOptions } from './client/request-options';
export type {
  RetryOptions,
  RetryBudgetOptions,
  BreakerOptions,
  RateLimitOptions,
  BulkheadOptions,
  ClientResilienceOptions,
  AppResilienceOptions,
} from './resilience/resilience-options';
export type { CircuitState, CircuitEvent } from './resilience/circuit-breaker';
export type { Strategy, BalanceOptions, HashKeySource } from './balancing/strategy';
export type { JetStreamOptions, StreamOptions } from './durable/stream-options';
export { DEAD_LETTER_HEADERS } from './durable/dead-letter-headers';
export type { HeadersInit } from './client/headers-init';
export type { HandlerKeys, ServiceProxy } from './client/service-proxy';
export type { NatsConnectOptions, NatsInput } from './client/nats-connection';

export { MeshRegistry } from './discovery/mesh-registry';
export type { InstanceState, RegistryOptions, DownReason } from './discovery/mesh-registry';
export type { InstanceInfo, Heartbeat } from './discovery/instance-info';
export { gather } from './discovery/gather';
export type { GatherOptions } from './discovery/gather';
export {
  toSrvName,
  toSrvId,
  UP_SUBJECT,
  DOWN_SUBJECT,
  HEARTBEAT_SUBJECT,
  DISCOVER_SUBJECT,
  INSTANCE_PREFIX,
  DIRECT_PREFIX,
  VERSION_PREFIX,
  versionToken,
  HEALTH_SUBJECT,
} from './discovery/discovery-subjects';
export type { HealthReport } from './health/health-report';
export type { HealthStatus } from './health/readiness';

export { Context } from './runtime/context';
export { MessageContext } from './middleware/message-context';
export { refusal } from './runtime/refusal';
export type { MessageKind } from './middleware/message-context';
export { CallContext } from './middleware/call-context';
export { EmitContext } from './middleware/emit-context';
export type { Middleware, MiddlewareRef, Guard, Next, HandleContext, EventContext, HookPoint } from './middleware/middleware';
export { ERROR_HEADER, ERROR_CODE_HEADER, TIMEOUT_HEADER, DEADLINE_HEADER, RETRY_AFTER_HEADER, FAULT_HEADER } from './runtime/wire-headers';

export { MeshError } from './errors/mesh-error';
export type { MeshErrorOptions } from './errors/mesh-error';
export { ERROR_CODES } from './errors/error-codes';
export type { ErrorCode } from './errors/error-codes';
export { toMeshError } from './errors/to-mesh-error';
export { parseJson } from './codec/json-codec';
export type { FieldError } from './validation/dto-validator';

export { createLogger } from './logging/logger';
export type { Logger, LogFn, LogLevel, LogSink, CreateLoggerOptions, LogFormat } from './logging/logger';

export { describeService } from './app/describe';
export { generateAcl } from './acl/generate-acl';
export type { GenerateAclOptions } from './acl/generate-acl';
export { renderServerAuthorization } from './acl/render-server-authorization';
export { inboxPrefixOf } from './acl/inbox-prefix';
export type { Acl, AclUser, AclPermissions, AclProblem, CallerRole, MatrixRow, AclAccount, AccountExport, AccountImport } from './acl/acl-model';
export { DEFAULT_ACCOUNT } from './acl/acl-model';
export type { AccountMapping } from './acl/accounts';
export { renderTrustedKeys, readTrustedKeys, TRUSTED_KEYS_FILE } from './identity/trusted-keys';
export { CALLER_HEADER, SIGNATURE_HEADER } from './identity/signed-request';
export type { IdentityOptions } from './identity/identity-options';
export { loadServices } from './app/load-services';
export { toJsonSchema } from './schema/to-json-schema';
export { JSON_SCHEMA_DIALECT, orderJsonSchema } from './schema/json-schema';
export type { JsonSchema, JsonSchemaType } from './schema/json-schema';
export { Describe } from './schema/describe.decorator';
export type { DescribeOptions } from './schema/describe.decorator';
export type { MetricsOptions } from './metrics/metrics-options';
export { DURATION_BUCKETS } from './metrics/mesh-metrics';
export type { SloOptions } from './metrics/slo-options';
export { SLO_GOOD_CODES, checkedSlo, windowDays } from './metrics/slo-options';
export { CIRCUIT_STATE_VALUES, CLIENT_SUBJECT_LIMIT, OTHER_SUBJECT } from './metrics/client-metrics';
export { CODE_LABEL_LIMIT, CODE_LABEL_PATTERN, OTHER_CODE } from './metrics/code-label';
export type { TracingOptions } from './tracing/tracing-options';
export { TRACER_NAME } from './tracing/mesh-tracing';

export { RULES_BUCKET, NO_RULES, ruleKey } from './control/rules-model';
export type {
  RequestMatch,
  RouteMatchRule,
  RouteRule,
  MirrorRule,
  FaultRule,
  CanaryCriteria,
  CanaryRule,
  CanaryState,
  MeshRules,
  RulesView,
} from './control/rules-model';
export { RULE_KINDS, RULE_SCHEMAS } from './control/rule-schemas';
export type { RuleKind } from './control/rule-schemas';
export { checkRule, checkRules } from './control/check-rule';
export type { RuleOfKind } from './control/check-rule';
export { ruleWarnings, knownVersions } from './control/rule-warnings';
export type { KnownVersions } from './control/rule-warnings';
export { watchRules } from './control/watch-rules';
export type { WatchRulesOptions, RulesWatch } from './control/watch-rules';
export { createAdmin } from './control/create-admin';
export type { AdminOptions } from './control/create-admin';
export { MeshAdmin } from './control/mesh-admin';
export type { RuleStore, RuleWrite, ApplyResult } from './control/mesh-admin';
export { renderSubjectMappings } from './control/subject-mappings';
export type { SubjectMappings, WeightedDestination } from './control/subject-mappings';
export { MIRRORS_SUBJECT } from './control/mirror-summary';
export type { MirrorReport, MirrorStats } from './control/mirror-summary';
export { MIRROR_HEADER } from './control/mirror-header';
