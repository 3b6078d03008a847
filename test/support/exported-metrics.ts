import { createMetrics } from '../../core/metrics/metrics';

/**
 * Series names the api and worker export, from the one registry both build (core/metrics/metrics.ts): histogram
 * and summary families expand to their _bucket/_sum/_count series. This needs no running service, so it also
 * covers metrics a short run never observes; test/e2e/monitoring-live.test.ts queries them from the real processes.
 */
export async function exportedSeriesNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of ['api', 'worker']) {
    const metrics = createMetrics({ service });
    for (const family of await metrics.registry.getMetricsAsJSON()) {
      const type = String(family.type);
      names.add(family.name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family.name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(family.name + suffix);
    }
    metrics.registry.clear();
  }
  return names;
}

/**
 * Series the dashboards may read that other exporters produce, by exact name (a prefix would let typos through).
 * Add a name here only with the exporter that serves it.
 */
export const THIRD_PARTY_SERIES: Readonly<Record<string, readonly string[]>> = {
  prometheus: ['up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds'],
  'kube-state-metrics': [
    'kube_horizontalpodautoscaler_status_current_replicas',
    'kube_horizontalpodautoscaler_status_desired_replicas',
    'kube_horizontalpodautoscaler_spec_min_replicas',
    'kube_horizontalpodautoscaler_spec_max_replicas',
    'kube_deployment_status_replicas',
    'kube_deployment_status_replicas_available',
    'kube_deployment_spec_replicas',
    'kube_pod_container_status_restarts_total',
    'kube_pod_container_resource_requests',
    'kube_pod_container_resource_limits',
    'kube_horizontalpodautoscaler_status_condition',
  ],
  cadvisor: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'],
  'rabbitmq_prometheus (per-queue /metrics/detailed)': [
    'rabbitmq_detailed_queue_messages_ready',
    'rabbitmq_detailed_queue_messages_unacked',
    'rabbitmq_detailed_queue_messages',
    'rabbitmq_detailed_queue_consumers',
  ],
  'rabbitmq_prometheus (aggregated /metrics)': [
    'rabbitmq_queue_messages_ready',
    'rabbitmq_queue_messages_unacked',
    'rabbitmq_queue_messages',
    'rabbitmq_queue_consumers',
    'rabbitmq_connections',
    'rabbitmq_channels',
    'rabbitmq_alarms_memory_used_watermark',
    'rabbitmq_alarms_free_disk_space_watermark',
    'rabbitmq_alarms_file_descriptor_limit',
    'rabbitmq_process_resident_memory_bytes',
    'rabbitmq_resident_memory_limit_bytes',
  ],
  'CloudNativePG instance exporter': [
    'cnpg_collector_up',
    'cnpg_backends_total',
    'cnpg_pg_replication_lag',
    'cnpg_pg_database_size_bytes',
    'cnpg_pg_stat_database_xact_commit',
    'cnpg_pg_stat_database_xact_rollback',
    'cnpg_pg_settings_setting',
    'cnpg_pg_stat_archiver_last_failed_time',
    'cnpg_pg_stat_archiver_last_archived_time',
  ],
  'KEDA metrics server': ['keda_scaler_metrics_value', 'keda_scaler_errors_total', 'keda_scaled_object_errors_total'],
};
