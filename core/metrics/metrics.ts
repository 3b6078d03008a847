import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the services export. Names are part of the contract with the HPAs, the dashboards and the
 * alerts, so they are declared once here; the scalability document fixes the first three.
 * Route labels are templates (`/:phrase`), never raw phrases, to keep cardinality bounded.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly requestsTotal: Counter<'method' | 'route' | 'status_code'>;
  readonly requestDuration: Histogram<'method' | 'route'>;
  readonly activeConnections: Gauge<'pool'>;
  readonly cacheRequests: Counter<'level' | 'result'>;
  readonly queueDepth: Gauge<'queue'>;
  readonly messagesProcessed: Counter<'queue' | 'outcome'>;
  readonly consumersPaused: Gauge<'queue'>;
  readonly messageProcessingDuration: Histogram<'queue'>;
  readonly visitPersistLag: Histogram;
  readonly outboxBacklog: Gauge;
  readonly outboxLag: Gauge;
  readonly linksCreated: Counter<'language' | 'theme'>;
  readonly linkVisits: Counter<'language' | 'theme' | 'bot'>;
  readonly phraseGenerationRetries: Counter;
  readonly rateLimitRejections: Counter<'limiter'>;
  readonly visitBufferSize: Gauge;
  readonly visitsPublished: Counter<'outcome'>;
  readonly adminActions: Counter<'action'>;
}

/** Fine enough at the bottom for sub-millisecond redirects served from memory. */
export const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const MESSAGE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

export function createMetrics(options: { service: string; defaultMetrics?: boolean }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    requestsTotal: new Counter({
      name: 'requests_total',
      help: 'HTTP requests served',
      labelNames: ['method', 'route', 'status_code'],
      registers: r,
    }),
    requestDuration: new Histogram({
      name: 'request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers: r,
    }),
    activeConnections: new Gauge({
      name: 'active_connections',
      help: 'Checked-out database connections per pool',
      labelNames: ['pool'],
      registers: r,
    }),
    cacheRequests: new Counter({
      name: 'offndat_cache_requests_total',
      help: 'Link cache lookups by level (l1, l2, db) and result (hit, miss, negative_hit; error when Redis failed)',
      labelNames: ['level', 'result'],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'offndat_rabbitmq_queue_depth',
      help: 'Ready messages per RabbitMQ queue',
      labelNames: ['queue'],
      registers: r,
    }),
    messagesProcessed: new Counter({
      name: 'offndat_messages_processed_total',
      help: 'Messages handled by outcome (success, retry, dead_letter)',
      labelNames: ['queue', 'outcome'],
      registers: r,
    }),
    consumersPaused: new Gauge({
      name: 'offndat_consumers_paused',
      help: 'Consumer channels holding a batch back, unacked, until the database is available again',
      labelNames: ['queue'],
      registers: r,
    }),
    messageProcessingDuration: new Histogram({
      name: 'offndat_message_processing_duration_seconds',
      help: 'Time to handle one message or batch',
      labelNames: ['queue'],
      buckets: MESSAGE_BUCKETS,
      registers: r,
    }),
    visitPersistLag: new Histogram({
      name: 'offndat_visit_persist_lag_seconds',
      help: 'Time from the redirect to the visit row being committed',
      buckets: LAG_BUCKETS,
      registers: r,
    }),
    outboxBacklog: new Gauge({ name: 'offndat_outbox_backlog', help: 'Outbox rows not yet published', registers: r }),
    outboxLag: new Gauge({
      name: 'offndat_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row',
      registers: r,
    }),
    linksCreated: new Counter({
      name: 'offndat_links_created_total',
      help: 'Links created',
      labelNames: ['language', 'theme'],
      registers: r,
    }),
    linkVisits: new Counter({
      name: 'offndat_link_visits_total',
      help: 'Counted redirects (bot="true" for crawlers and previews)',
      labelNames: ['language', 'theme', 'bot'],
      registers: r,
    }),
    phraseGenerationRetries: new Counter({
      name: 'offndat_phrase_generation_retries_total',
      help: 'Phrase collisions that caused a retry',
      registers: r,
    }),
    rateLimitRejections: new Counter({
      name: 'offndat_rate_limit_rejections_total',
      help: 'Requests rejected with 429 by limiter',
      labelNames: ['limiter'],
      registers: r,
    }),
    visitBufferSize: new Gauge({
      name: 'offndat_visit_buffer_size',
      help: 'Visit events waiting to be published',
      registers: r,
    }),
    visitsPublished: new Counter({
      name: 'offndat_visits_published_total',
      help: 'Visits by delivery outcome: confirmed; failed (an attempt that will be retried); dropped (refused by a full buffer, lost)',
      labelNames: ['outcome'],
      registers: r,
    }),
    adminActions: new Counter({
      name: 'offndat_admin_actions_total',
      help: 'Audited administrative changes by action (admin API and declared ShortLink resources)',
      labelNames: ['action'],
      registers: r,
    }),
  };
}
